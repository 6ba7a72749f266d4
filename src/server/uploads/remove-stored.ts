import type { Services } from "../context.js";
import type { UploadRow } from "../ledger/types.js";
import { isStorageCode } from "../s3/failure.js";

/**
 * Removes what storage may hold for an upload: its multipart upload (if any) and its object (a PUT
 * may have landed, or a multipart been completed). Failures are logged: the sweeper removes objects
 * and multipart uploads that no live upload owns.
 */
export async function removeStored(s: Services, row: UploadRow): Promise<void> {
  try {
    if (row.multipartUploadId !== null) {
      await s.storage.abortMultipart(row.key, row.multipartUploadId).catch((err: unknown) => {
        if (!isStorageCode(err, "NoSuchUpload")) throw err;
      });
    }
    await s.storage.delete(row.key);
  } catch (err) {
    s.log.error("could not remove a deleted upload's storage; the sweeper will", err, {
      uploadId: row.id,
      key: row.key,
    });
  }
}
