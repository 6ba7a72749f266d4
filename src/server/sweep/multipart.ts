import { compareKeys } from "../../core/s3/key-order.js";
import type { SweepPosition } from "./cursor.js";
import { abortUpload, exhausted, olderThanCutoff, type SweepRun } from "./run.js";

const IN_PROGRESS = ["pending", "uploaded"] as const;

/** The upload a run stopped at. */
export type UploadMarker = { atKey: string; atUploadId: string };

/**
 * (b) Aborts the multipart uploads under `prefix` that no pending or uploaded row owns and that
 * were started before the cutoff. Returns where to resume, or undefined when the prefix is done.
 */
export async function abortOrphanUploads(
  run: SweepRun,
  prefix: string,
  resumeAt: UploadMarker | undefined,
): Promise<SweepPosition | undefined> {
  const uploads = await run.storage.listMultipartUploads(prefix);
  for (const upload of uploads.slice(startIndex(uploads, resumeAt))) {
    run.report.scanned.multipartUploads++;
    if (!olderThanCutoff(run, upload.initiated)) continue;
    if (await run.ledger.ownsKey(run.bucket, upload.key, IN_PROGRESS)) continue;
    if (exhausted(run)) {
      return { phase: "multipart", prefix, atKey: upload.key, atUploadId: upload.uploadId };
    }
    await abortUpload(run, upload.key, upload.uploadId, "orphan");
    run.remaining--;
  }
  return undefined;
}

/**
 * Within one key, uploads are listed by initiation time, not by id: start at the marker if it is
 * still listed, else at the marker's key (looking at a survivor twice is harmless).
 */
function startIndex(uploads: Array<{ key: string; uploadId: string }>, at: UploadMarker | undefined): number {
  if (!at) return 0;
  const marker = uploads.findIndex((u) => u.key === at.atKey && u.uploadId === at.atUploadId);
  if (marker >= 0) return marker;
  const next = uploads.findIndex((u) => compareKeys(u.key, at.atKey) >= 0);
  return next >= 0 ? next : uploads.length;
}
