import { UpgateError } from "../../core/errors.js";
import { planParts } from "../../core/policy/parts.js";
import type { CreateUploadsResponse } from "../../core/protocol.js";
import type { IdempotentRequest, Ledger, UploadRow } from "../ledger/types.js";
import type { StorageClient, UrlWindow } from "../s3/types.js";
import { newAnonymousSecrets, withSecrets } from "./capability.js";
import { uploaderMetadata } from "./object-metadata.js";
import type { PlannedUpload } from "./plan.js";
import { signUpload } from "./sign.js";

/**
 * The answer to a create request repeated with an Idempotency-Key already used: the same uploads,
 * freshly signed, when it is the same request and every upload is still pending and unexpired. The
 * URLs expire with the rows (nothing is extended, nothing reserved again).
 *
 * Anonymous uploads get new secrets: the ledger keeps only the hashes of the first ones, so they
 * cannot be given again. The first answer's capability and download token stop working.
 */
export async function replayUploads(
  s: { storage: StorageClient; ledger: Ledger },
  existing: IdempotentRequest,
  requestHash: string,
  now: Date,
): Promise<CreateUploadsResponse> {
  if (existing.requestHash !== requestHash) {
    throw new UpgateError(
      "IDEMPOTENCY_KEY_REUSED",
      "This Idempotency-Key was already used for a different request (route or files differ); use a new key",
    );
  }
  // Counted from the next whole second, where URLs signed now start (storage/s3-client.ts).
  const start = Math.ceil(now.getTime() / 1000) * 1000;
  const secondsLeft = (row: UploadRow) => Math.floor((row.expiresAt.getTime() - start) / 1000);
  const done = existing.rows.filter((row) => row.status !== "pending" || secondsLeft(row) < 1);
  if (done.length > 0) {
    throw new UpgateError(
      "UPLOAD_STATE_CONFLICT",
      "The uploads this Idempotency-Key created are no longer all pending (completed, aborted or expired); start a new request with a new key",
      {
        details: {
          uploads: existing.rows.map((row) => ({
            id: row.id,
            status: row.status === "pending" && secondsLeft(row) < 1 ? "expired" : row.status,
          })),
        },
      },
    );
  }
  return {
    uploads: await Promise.all(
      existing.rows.map(async (row) => {
        const instruction = await signUpload(s.storage, replanned(row), await windowUntil(s.storage, row));
        return row.capabilityHash === null
          ? instruction
          : withSecrets(instruction, await reissue(s.ledger, row));
      }),
    ),
  };
}

/** URLs signed now that expire with the row (or with the credentials, if they end sooner). */
async function windowUntil(storage: StorageClient, row: UploadRow): Promise<UrlWindow> {
  const end = row.expiresAt.getTime();
  const window = await storage.urlWindow(Math.ceil((end - Date.now()) / 1000) + 1);
  const expiresIn = Math.min(window.expiresIn, Math.floor((end - window.date.getTime()) / 1000));
  if (expiresIn < 1) {
    throw new UpgateError(
      "UPLOAD_STATE_CONFLICT",
      "The uploads this Idempotency-Key created have expired; start a new request with a new key",
      { details: { uploads: [{ id: row.id, status: "expired" }] } },
    );
  }
  return { ...window, expiresIn, expiresAt: new Date(window.date.getTime() + expiresIn * 1000) };
}

/** New secrets for a pending anonymous upload, their hashes stored in place of the old ones. */
async function reissue(ledger: Ledger, row: UploadRow) {
  const secrets = await newAnonymousSecrets();
  const updated = await ledger.transition(row.id, ["pending"], "pending", {
    capabilityHash: secrets.capabilityHash,
    downloadTokenHash: secrets.downloadTokenHash,
  });
  if (!updated) {
    throw new UpgateError(
      "UPLOAD_STATE_CONFLICT",
      "The uploads this Idempotency-Key created are no longer all pending; start a new request with a new key",
    );
  }
  return secrets;
}

/** The plan signUpload needs, rebuilt from the stored row (same key, metadata, parts and upload id). */
function replanned(row: UploadRow): PlannedUpload {
  const parts =
    row.strategy === "multipart" ? planParts(row.declaredSize, row.partSize ?? row.declaredSize) : undefined;
  return {
    row,
    strategy: row.strategy,
    metadata: { ...row.metadata, ...uploaderMetadata(row.userId, row.id) },
    ...(parts && { parts }),
  };
}
