import { UpgateError } from "../../core/errors.js";
import { extensionForType } from "../../core/policy/mime.js";
import { randomId } from "../../core/policy/random.js";
import { s3KeyProblem } from "../../core/policy/s3-key.js";
import type { UploadRow } from "../ledger/types.js";
import type { Services } from "../runtime/services.js";
import { metadataHeaders, uploaderMetadata } from "./object-metadata.js";
import { isStorageCode } from "./storage-failure.js";

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
 * saw (x-amz-copy-source-if-match), with exactly the planned headers (metadata directive REPLACE),
 * to a key no form can write. `changed`: the object was replaced after it was verified.
 */
export async function promote(
  s: Services,
  row: UploadRow,
  verifiedType: string,
  etag: string,
): Promise<Promotion> {
  const key = promotedKey(row.key, verifiedType);
  try {
    const copied = await s.storage.copy(row.key, key, { ifMatch: etag, replaceHeaders: plannedHeaders(row) });
    // A single-part copy keeps the bytes' MD5 ETag; asked again only when storage's answer had none.
    const promoted = copied.etag || (await s.storage.head(key))?.etag || "";
    return { key, etag: promoted };
  } catch (err) {
    if (isStorageCode(err, "PreconditionFailed", "NoSuchKey")) return { changed: true };
    throw err;
  }
}

/** Best-effort removal of an object no row owns any more; the sweeper removes what this misses. */
export async function removeQuietly(s: Services, key: string, uploadId: string, why: string): Promise<void> {
  await s.storage.delete(key).catch((err: unknown) => {
    s.log.warn(`could not delete ${why}; the sweeper will`, { uploadId, key, error: String(err) });
  });
}
