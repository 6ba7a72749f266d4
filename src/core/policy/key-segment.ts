import { base32 } from "../util/random.js";
import { sha256Sync } from "../util/sha256.js";

/** The longest a substituted key segment gets; longer values are shortened with a hash. */
export const MAX_SEGMENT_LENGTH = 128;
/** Kept from a long value before "~" and the hash: 128 - 1 - 26. */
const KEPT_PREFIX = MAX_SEGMENT_LENGTH - 27;

const HEX = "0123456789ABCDEF";

function isSafeAscii(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || // 0-9
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    c === 0x2d || // -
    c === 0x2e || // .
    c === 0x5f // _
  );
}

/**
 * The value's bytes: UTF-8, except that a lone surrogate is written as its three-byte WTF-8 form
 * (ED A0..BF xx), which valid UTF-8 never contains, so different strings never share bytes.
 */
function wtf8(value: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    let cp = value.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < value.length) {
      const low = value.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return bytes;
}

/**
 * Makes a value (a user id, a route name) into one safe key segment. Bytes outside
 * [A-Za-z0-9._-] are percent-encoded ("%" itself included), so the mapping is one-to-one and
 * never yields "/" or a control character; "." and ".." become "%2E" and "%2E%2E". A result
 * longer than MAX_SEGMENT_LENGTH keeps its first characters, then "~" and 130 bits of the
 * value's SHA-256 in base32: "~" appears in no unshortened segment, so the two kinds never meet.
 * The empty string has no safe segment; the caller must refuse it.
 */
export function safeSegment(value: string): string {
  const bytes = wtf8(value);
  let out = "";
  for (const b of bytes) out += isSafeAscii(b) ? String.fromCharCode(b) : `%${HEX[b >> 4]}${HEX[b & 15]}`;
  if (out === "." || out === "..") return out.replaceAll(".", "%2E");
  if (out.length <= MAX_SEGMENT_LENGTH) return out;
  let kept = out.slice(0, KEPT_PREFIX);
  // Do not cut a %XX escape in half.
  const percent = kept.lastIndexOf("%");
  if (percent > KEPT_PREFIX - 3) kept = kept.slice(0, percent);
  return `${kept}~${base32(sha256Sync(Uint8Array.from(bytes))).slice(0, 26)}`;
}
