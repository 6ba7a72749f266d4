/** File contents for the type-confusion and content cases; each is recognised (or not) by file-type as noted. */
import { bytes, PNG_1X1, sha256b64 } from "../../integ/gateway/support.js";

export { PNG_1X1, sha256b64 };

const text = (s: string) => new TextEncoder().encode(s);

function padded(head: number[] | Uint8Array, length = 300): Uint8Array {
  const out = new Uint8Array(length);
  out.set(head);
  return out;
}

/** JFIF header: file-type says image/jpeg. */
export const JPEG = padded([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
/** No signature: file-type says nothing. */
export const HTML = text("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");
export const SVG_SCRIPT = text(
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.domain)</script></svg>',
);
/** application/x-elf */
export const ELF = padded([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
/** application/x-msdownload (a Windows executable) */
export const WINDOWS_EXE = padded([0x4d, 0x5a, 0x90, 0]);
/** application/pdf */
export const PDF = text("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n");
/** application/zip (and so any JAR) */
export const ZIP = padded([
  0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x61,
]);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** HTML with a PNG signature in front (a "GIFAR"-style polyglot): still a PNG to the sniffer. */
export const PNG_THEN_HTML = concat(PNG_1X1, HTML);
/** An HTML page whose first bytes are script, with a PNG appended: not a PNG. */
export const HTML_THEN_PNG = concat(HTML, PNG_1X1);
/** A PDF with a JPEG appended: a PDF to the sniffer. */
export const PDF_THEN_JPEG = concat(PDF, JPEG);

/** Deterministic bytes no sniffer recognises. */
export const opaque = bytes;
