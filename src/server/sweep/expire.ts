import type { UploadRow } from "../ledger/types.js";
import type { SweepPosition } from "./cursor.js";
import { abortUpload, deleteObjectIfPresent, type SweepRun } from "./run.js";

const HOLDING_UNVERIFIED = ["pending", "uploaded"] as const;

/**
 * (a) Moves pending and uploaded rows whose URL expired more than the grace period ago to "expired"
 * (which releases their reservation: only holding statuses count against a quota), then aborts
 * their multipart upload and deletes their object, if any. Returns where to resume, or undefined
 * when no stale row is left.
 *
 * A real run removes each row it expires from the stale set, so it resumes from the start; a dry
 * run changes nothing, so it skips the rows it has already reported.
 */
export async function expireStale(run: SweepRun, skip: number): Promise<SweepPosition | undefined> {
  if (run.remaining === 0) return { phase: "expire", skip };
  const asked = skip + run.remaining;
  const rows = await run.ledger.findStale(run.cutoff, asked);
  const batch = rows.slice(skip);
  for (const row of batch) {
    await expireRow(run, row);
    run.remaining--;
  }
  if (rows.length < asked) return undefined;
  return { phase: "expire", skip: run.dryRun ? skip + batch.length : 0 };
}

async function expireRow(run: SweepRun, row: UploadRow): Promise<void> {
  if (!run.dryRun) {
    const moved = await run.ledger.transition(row.id, HOLDING_UNVERIFIED, "expired", { reason: "expired" });
    // Completed, aborted or expired by someone else since findStale: not ours to clean up.
    if (!moved) return;
  }
  run.report.expired.push({ id: row.id, userId: row.userId, route: row.route, key: row.key });
  if (row.bucket !== run.bucket) {
    // Signed for a bucket this storage client does not address (the config changed): the same key
    // here is someone else's object. Say so rather than touch it.
    const message = `the upload is in bucket ${row.bucket}, not ${run.bucket}: clean it up there`;
    run.report.failed.push({ action: row.multipartUploadId ? "abort" : "delete", key: row.key, message });
    return;
  }
  if (row.multipartUploadId) await abortUpload(run, row.key, row.multipartUploadId, "expired");
  // Even a multipart upload may have been completed in storage by a client that never came back.
  await deleteObjectIfPresent(run, row.key, "expired");
}
