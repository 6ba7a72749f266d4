/**
 * User metadata as response headers. Values that cannot be an HTTP header at all (control
 * characters such as CR or LF, which a signed query parameter can carry in) are left out and
 * counted in x-amz-missing-meta, as S3 does, instead of failing the whole response. Values with
 * characters beyond Latin-1 (only reachable through percent-encoded query parameters; header
 * values arrive as Latin-1 bytes and go back as the same bytes) are RFC 2047 encoded, S3's
 * "mail-safe" form.
 */
const META = "x-amz-meta-";
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters HTTP forbids.
const NOT_HEADER_SAFE = /[\x00-\x08\x0a-\x1f\x7f]/;

function beyondLatin1(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return true;
  return false;
}

function rfc2047(value: string): string {
  return `=?UTF-8?B?${Buffer.from(value, "utf8").toString("base64")}?=`;
}

export function metadataHeaders(metadata: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  let missing = 0;
  for (const [name, value] of Object.entries(metadata)) {
    if (NOT_HEADER_SAFE.test(value)) missing++;
    else out[`${META}${name}`] = beyondLatin1(value) ? rfc2047(value) : value;
  }
  if (missing > 0) out["x-amz-missing-meta"] = String(missing);
  return out;
}
