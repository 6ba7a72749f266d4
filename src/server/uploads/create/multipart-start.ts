import type { GatewayLog } from "../../observe/log.js";
import { storageFailure } from "../../s3/api-failure.js";
import type { StorageClient } from "../../s3/types.js";
import type { PlannedUpload } from "../plan.js";
import { multipartCreateHeaders } from "../sign.js";

/**
 * Creates the storage's multipart uploads for the planned files that need one, recording each id in
 * the row. This happens before the reservation, because the ledger row is written with the id; a
 * refused reservation aborts them again (abortStarted). On failure every one already created is aborted.
 */
export async function startMultipartUploads(
  storage: StorageClient,
  planned: readonly PlannedUpload[],
  log: GatewayLog,
): Promise<void> {
  const results = await Promise.allSettled(
    planned
      .filter((p) => p.strategy === "multipart")
      .map(async (p) => {
        p.row.multipartUploadId = await storage.createMultipart(
          p.row.key,
          multipartCreateHeaders(p, storage.config),
        );
      }),
  );
  const failure = results.find((r) => r.status === "rejected");
  if (failure) {
    await abortStarted(storage, planned, log);
    throw storageFailure(failure.reason);
  }
}

/** Aborts the multipart uploads startMultipartUploads created (best effort: the sweeper finds leftovers). */
export async function abortStarted(
  storage: StorageClient,
  planned: readonly PlannedUpload[],
  log: GatewayLog,
): Promise<void> {
  await Promise.all(
    planned.map(async (p) => {
      const uploadId = p.row.multipartUploadId;
      if (!uploadId) return;
      try {
        await storage.abortMultipart(p.row.key, uploadId);
      } catch (err) {
        log.error("could not abort a multipart upload; the sweeper will", err, {
          key: p.row.key,
          uploadId: p.row.id,
        });
      }
    }),
  );
}
