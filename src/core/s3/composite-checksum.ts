import { fromBase64, toBase64 } from "../sigv4/crypto.js";
import { sha256Sync } from "../util/sha256.js";

/**
 * S3's COMPOSITE SHA-256 of a multipart object: the SHA-256 of the concatenated raw (32-byte) part
 * digests, base64, then "-" and the part count ("<base64>-N"), as S3 returns it for an upload created
 * with x-amz-checksum-algorithm SHA256. `partSha256s` are the parts' base64 SHA-256s in part order.
 * Undefined when a value is not a base64 SHA-256 or there are no parts.
 */
export function compositeSha256(partSha256s: readonly string[]): string | undefined {
  if (partSha256s.length === 0) return undefined;
  const joined = new Uint8Array(32 * partSha256s.length);
  for (const [i, value] of partSha256s.entries()) {
    const digest = fromBase64(value);
    if (digest?.length !== 32) return undefined;
    joined.set(digest, 32 * i);
  }
  return `${toBase64(sha256Sync(joined))}-${partSha256s.length}`;
}
