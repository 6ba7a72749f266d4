import type { UploadRow } from "../ledger/types.js";
import type { SweepPosition } from "./cursor.js";
import { abortUpload, deleteObjectIfPresent, exhausted, type SweepRun } from "./run.js";

const HOLDING_UNVERIFIED = ["pending", "uploaded"] as const;

/**
 * (a) Settles pending and uploaded rows whose URLs have lapsed: with `run.complete`, one whose
 * object is stored is completed (verified or rejected, as `complete` would); one with nothing
 * stored whose URL expired more than the grace period ago moves to "expired" (which releases its
 * reservation: only holding statuses count against a quota), and its multipart upload and object,
 * if any, are removed. Returns where to resume, or undefined when no lapsed row is left.
 *
 * Rows still pending or uploaded after their turn (within the grace period, being verified
 * elsewhere, or every row in a dry run) stay in the lapsed set ahead of the rest: the run resumes
 * past them.
 */
export async function expireStale(run: SweepRun, skip: number): Promise<SweepPosition | undefined> {
  if (exhausted(run)) return { phase: "expire", skip };
  const asked = skip + run.remaining;
  const rows = await run.ledger.findStale(run.lapsedBefore, asked);
  let staying = skip;
  for (const row of rows.slice(skip)) {
    if (exhausted(run)) return { phase: "expire", skip: staying };
    if (await settleRow(run, row)) staying++;
    run.remaining--;
  }
  if (rows.length < asked) return undefined;
  return { phase: "expire", skip: staying };
}

/** Completes or expires one lapsed row; true when it stays pending or uploaded. */
async function settleRow(run: SweepRun, row: UploadRow): Promise<boolean> {
  const entry = { id: row.id, userId: row.userId, route: row.route, key: row.key };
  if (run.complete && row.bucket === run.bucket) {
    const result = await run.complete(row, run.dryRun);
    switch (result.outcome) {
      case "verified":
        run.report.verified.push({ ...entry, key: result.key });
        return run.dryRun;
      case "rejected":
        run.report.rejected.push({ ...entry, code: result.code });
        return run.dryRun;
      case "failed":
        run.report.failed.push({ action: "verify", key: row.key, message: result.message });
        return true;
      case "left":
        return true;
      case "absent":
        break;
    }
  }
  if (row.expiresAt.getTime() >= run.cutoff.getTime()) return true;
  return (await expireRow(run, row)) && run.dryRun;
}

/** False when someone else moved the row first. */
async function expireRow(run: SweepRun, row: UploadRow): Promise<boolean> {
  if (!run.dryRun) {
    const moved = await run.ledger.transition(row.id, HOLDING_UNVERIFIED, "expired", { reason: "expired" });
    // Completed, aborted or expired by someone else since findStale: not ours to clean up.
    if (!moved) return false;
  }
  run.report.expired.push({ id: row.id, userId: row.userId, route: row.route, key: row.key });
  if (row.bucket !== run.bucket) {
    // Signed for a bucket this storage client does not address (the config changed): the same key
    // here is someone else's object. Say so rather than touch it.
    const message = `the upload is in bucket ${row.bucket}, not ${run.bucket}: clean it up there`;
    run.report.failed.push({ action: row.multipartUploadId ? "abort" : "delete", key: row.key, message });
    return true;
  }
  if (row.multipartUploadId) await abortUpload(run, row.key, row.multipartUploadId, "expired");
  // Even a multipart upload may have been completed in storage by a client that never came back.
  await deleteObjectIfPresent(run, row.key, "expired");
  return true;
}
