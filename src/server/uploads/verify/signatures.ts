/**
 * Which declared types have magic bytes, and what a sniffed detection may be for each. The one place
 * that knows this; verify/sniff.ts applies it.
 *
 * Every declared type falls in one of three kinds:
 * - "signature": the format has a mandatory signature file-type recognises. The bytes must be
 *   detected as that type or a sibling in its family (a .docx read in its first 4 KiB may only show
 *   up as a ZIP). Nothing detected is a mismatch too: a declared image/png that is really HTML.
 * - "text": text formats (text/*, JSON, XML, SVG...) have no signature, so nothing is required; but
 *   any binary signature proves the bytes are not text. text/plain that is really a Windows
 *   executable, a ZIP or a PNG is a mismatch.
 * - "opaque": other types file-type cannot recognise (application/octet-stream, vendor formats): we
 *   cannot say what the bytes should be, only refuse what is executable.
 * HTML and SVG have no binary signature at all: declared as text they pass the sniff, which is why
 * downloads of anything but raster images are served as attachments (inline-safe.ts).
 */
import { supportedMimeTypes } from "file-type/core";
import { stripTypeParameters } from "./content-type.js";

export type SniffKind = "signature" | "text" | "opaque";

/** Non-canonical names clients send, to the name file-type reports. */
const ALIASES: Record<string, string> = {
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
  "image/x-png": "image/png",
  "image/x-ms-bmp": "image/bmp",
  "image/vnd.microsoft.icon": "image/x-icon",
  "audio/x-wav": "audio/wav",
  "audio/wave": "audio/wav",
  "audio/vnd.wave": "audio/wav",
  "audio/mp3": "audio/mpeg",
  "audio/x-mp3": "audio/mpeg",
  "audio/x-flac": "audio/flac",
  "audio/x-aiff": "audio/aiff",
  "video/x-matroska": "video/matroska",
  "video/avi": "video/vnd.avi",
  "video/x-msvideo": "video/vnd.avi",
  "video/x-ms-wmv": "video/x-ms-asf",
  "audio/x-ms-wma": "audio/x-ms-asf",
  "application/x-pdf": "application/pdf",
  "application/x-zip-compressed": "application/zip",
  "application/x-gzip": "application/gzip",
  "application/vnd.rar": "application/x-rar-compressed",
  "application/x-dosexec": "application/x-msdownload",
  "application/x-executable": "application/x-elf",
  "application/x-sharedlib": "application/x-elf",
  "application/vnd.microsoft.portable-executable": "application/x-msdownload",
};

const ZIP_BASED = [
  "application/epub+zip",
  "application/java-archive",
  "application/vnd.android.package-archive",
  "application/x-xpinstall",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "application/vnd.oasis.opendocument.presentation",
];
/** ISO base media files: the brand decides the name, and one file is often several. */
const BMFF = [
  "video/mp4",
  "video/quicktime",
  "video/x-m4v",
  "video/3gpp",
  "video/3gpp2",
  "audio/mp4",
  "audio/x-m4a",
];
const HEIF = ["image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence"];
const OGG = ["audio/ogg", "video/ogg", "application/ogg"];
const ASF = ["video/x-ms-asf", "audio/x-ms-asf", "application/vnd.ms-asf"];
const JPEG2000 = ["image/jp2", "image/jpx", "image/jpm", "image/mj2"];
/** Legacy Office files are OLE compound files; file-type reports the container. */
const OLE = [
  "application/msword",
  "application/vnd.ms-excel",
  "application/vnd.ms-powerpoint",
  "application/x-msi",
];

/** For a declared (canonical) type, the other detections that are the same content. */
const SIBLINGS: Record<string, readonly string[]> = {
  "image/png": ["image/apng"],
  "application/postscript": ["application/eps"],
  "application/eps": ["application/postscript"],
  "application/zip": ZIP_BASED,
  ...Object.fromEntries(ZIP_BASED.map((t) => [t, ["application/zip"]])),
  ...Object.fromEntries(OLE.map((t) => [t, ["application/x-cfb"]])),
  ...Object.fromEntries([BMFF, HEIF, OGG, ASF, JPEG2000].flatMap((family) => family.map((t) => [t, family]))),
};

/** Detectable formats whose signature is optional, so their absence proves nothing. */
const OPTIONAL_SIGNATURE: Record<string, SniffKind> = {
  "application/xml": "text", // the <?xml declaration may be left out
  "model/stl": "opaque", // binary STL has no magic number
  "application/x-tar": "opaque", // pre-POSIX tar has no "ustar"
};

const TEXT_TYPES = new Set([
  "application/json",
  "application/xml",
  "application/javascript",
  "application/ecmascript",
  "application/x-ndjson",
  "application/yaml",
  "application/x-yaml",
  "application/toml",
  "application/sql",
  "application/graphql",
]);

/** Signatures of text formats: a text type may turn out to be one of these. */
const TEXT_DETECTIONS = new Set(["application/xml", "text/calendar", "text/vcard", "text/vtt"]);

/** What no upload declared as an opaque type may turn out to be: code that runs when opened. */
const EXECUTABLE = new Set([
  "application/x-msdownload",
  "application/x-elf",
  "application/x-mach-binary",
  "application/java-vm",
  "application/java-archive",
  "application/vnd.android.package-archive",
  "application/wasm",
  "application/x-shockwave-flash",
  "application/x.ms.shortcut",
  "application/x-ms-regedit",
  "application/vnd.ms-htmlhelp",
  "application/x-google-chrome-extension",
  "application/x-xpinstall",
]);

/** The canonical name of a declared type: normalized, aliases resolved. */
export function canonicalType(type: string): string {
  const t = stripTypeParameters(type);
  return ALIASES[t] ?? t;
}

export function sniffKind(declared: string): SniffKind {
  const t = canonicalType(declared);
  const optional = OPTIONAL_SIGNATURE[t];
  if (optional) return optional;
  if (supportedMimeTypes.has(t) || t in SIBLINGS) return "signature";
  if (t.startsWith("text/") || t.endsWith("+xml") || t.endsWith("+json") || TEXT_TYPES.has(t)) return "text";
  return "opaque";
}

/** Whether the type has a signature to check (the gateway's default for a route's `sniff`). */
export function hasSignature(type: string): boolean {
  return sniffKind(type) === "signature";
}

export type Judgement = { ok: true; kind: SniffKind } | { ok: false; kind: SniffKind; reason: string };

/** Whether bytes file-type detected as `detected` (undefined: no known signature) can be the declared type. */
export function judgeDetection(declared: string, detected: string | undefined): Judgement {
  const kind = sniffKind(declared);
  const want = canonicalType(declared);
  const got = detected ? canonicalType(detected) : undefined;
  if (kind === "signature") {
    if (!got) return { ok: false, kind, reason: `the bytes do not start with a ${want} signature` };
    const siblings = SIBLINGS[want] ?? [];
    if (got === want || siblings.includes(got)) return { ok: true, kind };
    return { ok: false, kind, reason: `declared ${want} but the bytes are ${got}` };
  }
  if (!got) return { ok: true, kind };
  if (kind === "text" && !TEXT_DETECTIONS.has(got)) {
    return { ok: false, kind, reason: `declared ${want} (text) but the bytes are ${got}` };
  }
  if (kind === "opaque" && EXECUTABLE.has(got) && got !== want) {
    return { ok: false, kind, reason: `declared ${want} but the bytes are an executable (${got})` };
  }
  return { ok: true, kind };
}
