import { UpgateError } from "../errors.js";
import { createHash, fromHex, toHex } from "../sigv4/crypto.js";

/**
 * The ETag S3 (and R2, MinIO, Ceph) gives a completed multipart upload: the hex MD5 of the
 * concatenated binary MD5s of the parts, then "-" and the part count. Part ETags may keep the
 * quotes S3 sends them with. Needs node:crypto, since WebCrypto has no MD5.
 */
export function multipartETag(partEtags: readonly string[]): string {
  if (partEtags.length === 0) {
    throw new UpgateError("SIGN_INVALID_INPUT", "a multipart upload has at least one part");
  }
  const hash = createHash("md5");
  for (const etag of partEtags) {
    const md5 = fromHex(etag.replace(/^"(.*)"$/, "$1"));
    if (md5?.length !== 16) {
      throw new UpgateError("SIGN_INVALID_INPUT", `part ETag is not a hex MD5: ${JSON.stringify(etag)}`);
    }
    hash.update(md5);
  }
  const digest = hash.digest();
  if (digest instanceof Promise) throw new Error("upgate: MD5 digests are synchronous (node:crypto)");
  return `${toHex(digest)}-${partEtags.length}`;
}

/** The ETag without W/ and quotes: storages differ in quoting it (Ceph RGW's CopyObjectResult does not). */
export function bareEtag(etag: string): string {
  return etag
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1");
}

/** Whether two ETags name the same version, however each is quoted. */
export function sameEtag(a: string, b: string): boolean {
  return bareEtag(a) === bareEtag(b);
}
