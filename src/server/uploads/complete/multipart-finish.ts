import { UpgateError } from "../../../core/errors.js";
import { planParts } from "../../../core/policy/parts.js";
import type { CompleteRequest } from "../../../core/protocol.js";
import type { UploadRow } from "../../ledger/types.js";
import { isStorageCode, storageFailure } from "../../s3/api-failure.js";
import type { StorageClient, StoragePart } from "../../s3/types.js";
import { completeAssembly } from "./complete-assembly.js";

/**
 * A multipart upload that storage no longer has: S3 says NoSuchUpload; Ceph RGW 16 says NoSuchKey
 * for one it already completed (a retried complete after a lost answer, seen in the RGW soak).
 */
export const UPLOAD_GONE = ["NoSuchUpload", "NoSuchKey"] as const;

const unquote = (etag: string) => etag.replace(/^W\//, "").replace(/^"|"$/g, "");

/** How the parts in storage differ from the plan fixed at creation (and from the client's ETags). */
export function partProblems(
  row: UploadRow,
  stored: readonly StoragePart[],
  clientParts: CompleteRequest["parts"],
) {
  const plan = planParts(row.declaredSize, row.partSize!);
  const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
  const claimed = new Map((clientParts ?? []).map((p) => [p.partNumber, unquote(p.etag)]));
  const missing: number[] = [];
  const wrongSize: Array<{ partNumber: number; expected: number; actual: number }> = [];
  const etagMismatch: number[] = [];
  for (const [i, expected] of plan.sizes.entries()) {
    const partNumber = i + 1;
    const part = byNumber.get(partNumber);
    if (!part) {
      missing.push(partNumber);
      continue;
    }
    if (part.size !== expected) wrongSize.push({ partNumber, expected, actual: part.size });
    const etag = claimed.get(partNumber);
    if (etag !== undefined && etag !== unquote(part.etag)) etagMismatch.push(partNumber);
  }
  const planned = plan.sizes.map((_, i) => byNumber.get(i + 1)!);
  const ok = missing.length === 0 && wrongSize.length === 0 && etagMismatch.length === 0;
  return ok ? { ok: true as const, planned } : { ok: false as const, missing, wrongSize, etagMismatch };
}

/**
 * Completes a multipart upload after checking every planned part is in storage with its planned
 * size (and the ETag the client reports, when it reports them). Complete uses If-None-Match: *, so
 * it never replaces an object. A multipart upload that is already gone was completed (or aborted)
 * before: the verification that follows decides which.
 */
export async function finishMultipart(
  storage: StorageClient,
  row: UploadRow,
  clientParts: CompleteRequest["parts"],
  whole?: string,
): Promise<void> {
  const uploadId = row.multipartUploadId!;
  let stored: StoragePart[];
  try {
    stored = await storage.listParts(row.key, uploadId);
  } catch (err) {
    if (isStorageCode(err, ...UPLOAD_GONE)) return;
    throw storageFailure(err);
  }
  const check = partProblems(row, stored, clientParts);
  if (!check.ok) {
    const { missing, wrongSize, etagMismatch } = check;
    const what = [
      missing.length > 0 && `${missing.length} part(s) missing (${missing.slice(0, 10).join(", ")})`,
      wrongSize.length > 0 && `${wrongSize.length} part(s) of the wrong size`,
      etagMismatch.length > 0 && `${etagMismatch.length} part(s) whose ETag differs from yours`,
    ].filter(Boolean);
    throw new UpgateError("UPLOAD_NOT_UPLOADED", `The upload is not complete: ${what.join("; ")}`, {
      details: {
        missing: missing.slice(0, 1000),
        wrongSize: wrongSize.slice(0, 1000),
        etagMismatch: etagMismatch.slice(0, 1000),
      },
    });
  }
  try {
    const assembly = completeAssembly(row.checksumAlgorithm, check.planned, whole);
    await storage.completeMultipart(row.key, uploadId, assembly.parts, {
      ifNoneMatch: true,
      headers: assembly.headers,
    });
  } catch (err) {
    // Completed by a concurrent call, or an object already at the key: verification decides.
    if (isStorageCode(err, ...UPLOAD_GONE, "PreconditionFailed")) return;
    if (isStorageCode(err, "BadDigest") && whole !== undefined) {
      // The whole-file CRC given is not the parts' CRCs combined: the bytes are not the client's file.
      throw new UpgateError(
        "VERIFY_CHECKSUM_MISMATCH",
        `Storage refused the file's ${row.checksumAlgorithm}: it is not the stored parts' combined`,
        { details: { expected: whole, checksumVerifiedBy: "storage" }, cause: err },
      );
    }
    if (isStorageCode(err, "InvalidPart", "InvalidPartOrder", "EntityTooSmall")) {
      throw new UpgateError("UPLOAD_NOT_UPLOADED", `Storage refused to assemble the parts (${err.code})`, {
        cause: err,
      });
    }
    throw storageFailure(err);
  }
}
