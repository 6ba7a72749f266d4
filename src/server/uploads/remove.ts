import type { CompleteResponse } from "../../core/protocol.js";
import type { Handler } from "../context.js";
import { json } from "../http/respond.js";
import type { UploadRow } from "../ledger/types.js";
import type { GatewayLog } from "../observe/log.js";
import { isStorageCode } from "../s3/api-failure.js";
import type { StorageClient } from "../s3/types.js";
import { loadOwnedUpload } from "./access.js";
import { concurrentChange } from "./errors.js";
import { toUploadRecord } from "./record.js";

const LIVE = ["pending", "uploaded", "verified"] as const;

/**
 * DELETE /v1/uploads/:id: the upload becomes "aborted" (reason DELETED), releasing its quota, and
 * its multipart upload or object is removed from storage. Verified uploads may be deleted too: that
 * is how a user removes a file. Deleting an upload that holds nothing any more (rejected, expired,
 * aborted) changes nothing and answers the same way, so retries are safe.
 */
export const deleteUpload: Handler = async (s, req) => {
  const { row } = await loadOwnedUpload(s, req, req.params.id!);
  if (!(LIVE as readonly string[]).includes(row.status))
    return json(200, { upload: toUploadRecord(row) } satisfies CompleteResponse);
  const aborted = await s.ledger.transition(row.id, LIVE, "aborted", {
    reason: "DELETED",
    completedAt: new Date(),
  });
  if (!aborted) {
    const current = await s.ledger.get(row.id);
    if (!current || (LIVE as readonly string[]).includes(current.status)) {
      throw concurrentChange();
    }
    return json(200, { upload: toUploadRecord(current) } satisfies CompleteResponse);
  }
  await removeStored(s.storage, s.log, aborted);
  return json(200, { upload: toUploadRecord(aborted) } satisfies CompleteResponse);
};

/**
 * Removes what storage may hold for an upload: its multipart upload (if any) and its object (a PUT
 * may have landed, or a multipart been completed). Failures are logged: the sweeper removes objects
 * and multipart uploads that no live upload owns.
 */
async function removeStored(storage: StorageClient, log: GatewayLog, row: UploadRow): Promise<void> {
  try {
    if (row.multipartUploadId !== null) {
      await storage.abortMultipart(row.key, row.multipartUploadId).catch((err: unknown) => {
        if (!isStorageCode(err, "NoSuchUpload")) throw err;
      });
    }
    await storage.delete(row.key);
  } catch (err) {
    log.error("could not remove a deleted upload's storage; the sweeper will", err, {
      uploadId: row.id,
      key: row.key,
    });
  }
}
