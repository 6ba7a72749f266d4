import { ERROR_CODES, type ErrorCode, UpgateError } from "../../../core/errors.js";
import type { Services } from "../../context.js";
import type { UploadRow } from "../../ledger/types.js";
import { storageFailure } from "../../s3/api-failure.js";
import { uploaderMetadata } from "../object-metadata.js";
import { uploadChecksumExpectation } from "../upload-checksum-expectation.js";
import { type VerifyExpectation, verifyObject } from "../verify/verify-object.js";
import { disposeRejected } from "./dispose-rejected.js";
import type { CompleteChecksums } from "./multipart-checksums.js";
import { promote, removeQuietly } from "./promote.js";

/** The answer for an upload already rejected: 422 with the same code. */
export function rejectionError(row: UploadRow): UpgateError {
  const code = (
    row.reason && Object.hasOwn(ERROR_CODES, row.reason) ? row.reason : "UPLOAD_STATE_CONFLICT"
  ) as ErrorCode;
  return new UpgateError(code, `The upload was rejected: ${ERROR_CODES[code].description}`, {
    details: { id: row.id, status: row.status },
  });
}

/** What an upload's object must be: what was declared and signed, and the route's sniff setting. */
export function expectationFor(
  s: Pick<Services, "config">,
  row: UploadRow,
  given?: CompleteChecksums,
): VerifyExpectation {
  return {
    key: row.key,
    size: row.declaredSize,
    type: row.declaredType,
    checksum: uploadChecksumExpectation(row, given),
    metadata: { ...row.metadata, ...uploaderMetadata(row.userId, row.id) },
    sniff: s.config.routes.get(row.route)?.policy.sniff ?? true,
  };
}

export type Verification = { verified: UploadRow } | { changed: true };

/**
 * The object was replaced (or removed) after verification's HEAD: the row stays "uploaded" for a
 * retried complete. Unless a concurrent call finished with the row meanwhile (its promotion removed
 * the form's key): then that call's outcome is the answer.
 */
async function uploadChanged(s: Pick<Services, "ledger" | "metrics">, row: UploadRow): Promise<Verification> {
  if ((await s.ledger.get(row.id))?.status !== "uploaded") return { changed: true };
  s.metrics.verifications.inc({ outcome: "UPLOAD_CHANGED" });
  throw new UpgateError(
    "UPLOAD_CHANGED",
    "The object changed while it was being verified; complete again to verify what is stored now",
    { details: { id: row.id } },
  );
}

/**
 * Checks an "uploaded" row's object in storage and records the verdict: "verified", or "rejected"
 * (the object removed, and the rejection thrown as a 422 with its code). An object that is not
 * there moves the row back to "pending" and throws UPLOAD_NOT_UPLOADED, so the client can upload
 * and complete again. Storage failures throw STORAGE_UNAVAILABLE and leave the row "uploaded",
 * for a retried complete, as does an object replaced while it was verified (409 UPLOAD_CHANGED).
 * `changed` means another call moved the row meanwhile. `parts`: a multipart upload's part
 * SHA-256s, from the complete request (see multipart-checksums.ts).
 *
 * A verified POST upload is promoted first (promote.ts): the row then names the new key, and the
 * form's key is deleted. The ETag recorded is the one of the object the row names.
 */
export async function verifyUpload(
  s: Services,
  row: UploadRow,
  given?: CompleteChecksums,
): Promise<Verification> {
  const expectation = expectationFor(s, row, given);
  const result = await verifyObject(s.storage, expectation).catch((err: unknown) => {
    throw storageFailure(err);
  });
  if (result.ok) {
    let stored = { key: row.key, etag: result.etag };
    if (row.strategy === "post") {
      const promoted = await promote(s, row, expectation, result).catch((err: unknown) => {
        throw storageFailure(err);
      });
      if ("changed" in promoted) return uploadChanged(s, row);
      stored = promoted;
    }
    const verified = await s.ledger.transition(row.id, ["uploaded"], "verified", {
      verifiedSize: result.size,
      verifiedType: result.type,
      verifiedEtag: stored.etag,
      ...(result.checksum !== undefined && result.checksum !== row.checksum && { checksum: result.checksum }),
      ...(stored.key !== row.key && { key: stored.key }),
      completedAt: new Date(),
    });
    if (!verified) {
      if (stored.key !== row.key) await removeQuietly(s, stored.key, row.id, "an unused promoted copy");
      return { changed: true };
    }
    s.metrics.verifications.inc({ outcome: "verified" });
    if (stored.key !== row.key) await removeQuietly(s, row.key, row.id, "a promoted upload's form key");
    return { verified };
  }
  if (result.code === "UPLOAD_CHANGED") return uploadChanged(s, row);
  if (result.code === "UPLOAD_NOT_UPLOADED") {
    // No object because a concurrent call rejected (and removed) it, or the upload was deleted: that
    // call's outcome is the answer, not "upload it again".
    if (!(await s.ledger.transition(row.id, ["uploaded"], "pending"))) return { changed: true };
    s.metrics.verifications.inc({ outcome: "not_uploaded" });
    throw new UpgateError(
      "UPLOAD_NOT_UPLOADED",
      "Storage has no object for this upload: upload it, then complete again",
      {
        details: result.details,
      },
    );
  }
  s.metrics.verifications.inc({ outcome: result.code });
  const rejected = await s.ledger.transition(row.id, ["uploaded"], "rejected", {
    reason: result.code,
    completedAt: new Date(),
  });
  if (!rejected) return { changed: true };
  await disposeRejected(s, row, result.code, result.details);
  throw new UpgateError(result.code, `The upload was rejected: ${result.message}`, {
    details: result.details,
  });
}
