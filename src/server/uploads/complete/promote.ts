import { UpgateError } from "../../../core/errors.js";
import { extensionForType } from "../../../core/policy/mime.js";
import { s3KeyProblem } from "../../../core/policy/s3-key.js";
import { sameEtag } from "../../../core/s3/etag.js";
import { randomId } from "../../../core/util/random.js";
import type { Services } from "../../context.js";
import type { UploadRow } from "../../ledger/types.js";
import { isStorageCode } from "../../s3/api-failure.js";
import { aclHeader } from "../canned-acl.js";
import { metadataHeaders, uploaderMetadata } from "../object-metadata.js";
import { type VerifyExpectation, verifyObject } from "../verify/verify-object.js";

/**
 * A fresh key beside the upload's: its folder (everything up to the last "/"), 128 new random
 * bits and the verified type's extension. No URL or form was ever signed for it, and it stays
 * under the route's prefix, so the sweeper still attributes it.
 */
export function promotedKey(key: string, verifiedType: string): string {
  const folder = key.slice(0, key.lastIndexOf("/") + 1);
  const promoted = `${folder}${randomId(128)}${extensionForType(verifiedType)}`;
  const problem = s3KeyProblem(promoted);
  if (problem) {
    throw new UpgateError("CONFIG_INVALID", `the upload's key has no room for a promoted key: ${problem}`);
  }
  return promoted;
}

/** Exactly the headers the upload was signed with: its content type and every x-amz-meta-* value. */
export function plannedHeaders(row: UploadRow): Record<string, string> {
  return {
    "content-type": row.declaredType,
    ...metadataHeaders({ ...row.metadata, ...uploaderMetadata(row.userId, row.id) }),
  };
}

export type Promotion = { key: string; etag: string } | { changed: true };

/**
 * "Verified means frozen" for POST forms, which S3 lets their holder post again until the policy
 * expires: the verified object is copied server-side, only if it still has the ETag verification
 * saw (x-amz-copy-source-if-match), with exactly the planned headers (metadata directive REPLACE)
 * and storage.acl, to a key no form can write. `changed`: the object was replaced after it was verified.
 *
 * Ceph RGW 16 ignores x-amz-copy-source-if-* on a copy, and ETags are not MD5s everywhere (SSE-KMS),
 * so a copy whose ETag is not the verified one is verified again where it now is: nobody can write
 * there, so that verdict is final. Only a copy that fails it (the form was posted again between the
 * verification and the copy) is removed and reported as changed.
 */
export async function promote(
  s: Pick<Services, "storage" | "log">,
  row: UploadRow,
  want: VerifyExpectation,
  verified: { type: string; etag: string },
): Promise<Promotion> {
  const key = promotedKey(row.key, verified.type);
  let copied: { etag: string };
  try {
    copied = await s.storage.copy(row.key, key, {
      ifMatch: verified.etag,
      replaceHeaders: { ...plannedHeaders(row), ...aclHeader(s.storage.config) },
    });
  } catch (err) {
    if (isStorageCode(err, "PreconditionFailed", "NoSuchKey")) return { changed: true };
    throw err;
  }
  if (copied.etag !== "" && sameEtag(copied.etag, verified.etag)) return { key, etag: verified.etag };
  const again = await verifyObject(s.storage, { ...want, key });
  if (again.ok) return { key, etag: again.etag };
  await removeQuietly(s, key, row.id, "a promoted copy that failed verification");
  return { changed: true };
}

/** Best-effort removal of an object no row owns any more; the sweeper removes what this misses. */
export async function removeQuietly(
  s: Pick<Services, "storage" | "log">,
  key: string,
  uploadId: string,
  why: string,
): Promise<void> {
  await s.storage.delete(key).catch((err: unknown) => {
    s.log.warn(`could not delete ${why}; the sweeper will`, { uploadId, key, error: String(err) });
  });
}
