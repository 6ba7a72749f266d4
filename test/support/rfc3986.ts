/**
 * An independent SigV4 UriEncode, written byte by byte from the spec (not via encodeURIComponent),
 * so tests do not check the engine's encoder against itself.
 */
const encoder = new TextEncoder();
const HEX = "0123456789ABCDEF";

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    (b >= 0x30 && b <= 0x39) || // 0-9
    b === 0x2d || // -
    b === 0x5f || // _
    b === 0x2e || // .
    b === 0x7e // ~
  );
}

export function rfc3986(text: string): string {
  let out = "";
  for (const b of encoder.encode(text)) {
    out += isUnreserved(b) ? String.fromCharCode(b) : `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** S3 path encoding: each segment encoded, "/" kept, nothing normalized. */
export function rfc3986Path(path: string): string {
  return path.split("/").map(rfc3986).join("/");
}
