import type { Ledger } from "../ledger/types.js";
import { type StorageClient, StorageError } from "../s3/types.js";
import type { SweepOptions, SweepReason, SweepReport } from "./types.js";

/** One sweep's state: what it may still do, and what it has done. */
export interface SweepRun {
  ledger: Ledger;
  storage: StorageClient;
  bucket: string;
  dryRun: boolean;
  /** now - grace: expiries, objects and multipart uploads must be older than this. */
  cutoff: Date;
  /** Uploads whose URLs expired before this are looked at: now with `complete`, else the cutoff. */
  lapsedBefore: Date;
  complete: SweepOptions["complete"];
  signal: AbortSignal | undefined;
  /** Actions left before the run stops. */
  remaining: number;
  report: SweepReport;
}

/** No action left to take: the limit is reached, or the run was told to stop. */
export function exhausted(run: SweepRun): boolean {
  return run.remaining === 0 || run.signal?.aborted === true;
}

/** True when `date` is a valid time strictly before the cutoff; an unknown age never qualifies. */
export function olderThanCutoff(run: SweepRun, date: Date): boolean {
  return date.getTime() < run.cutoff.getTime();
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const isNoSuchUpload = (error: unknown): boolean =>
  error instanceof StorageError && error.code === "NoSuchUpload";

/** Deletes an object known to exist (or reports it would). Failures are reported, not thrown. */
export async function deleteObject(run: SweepRun, key: string, reason: SweepReason): Promise<void> {
  try {
    if (!run.dryRun) await run.storage.delete(key);
    run.report.deletedObjects.push({ key, reason });
  } catch (error) {
    run.report.failed.push({ action: "delete", key, message: message(error) });
  }
}

/** Deletes the object if there is one. */
export async function deleteObjectIfPresent(run: SweepRun, key: string, reason: SweepReason): Promise<void> {
  let present: boolean;
  try {
    present = (await run.storage.head(key)) !== undefined;
  } catch (error) {
    run.report.failed.push({ action: "delete", key, message: message(error) });
    return;
  }
  if (present) await deleteObject(run, key, reason);
}

/**
 * Aborts a multipart upload (or reports it would). One storage no longer has counts as done, not
 * as aborted; in a dry run ListParts tells whether it is still there.
 */
export async function abortUpload(
  run: SweepRun,
  key: string,
  uploadId: string,
  reason: SweepReason,
): Promise<void> {
  try {
    if (run.dryRun) await run.storage.listParts(key, uploadId);
    else await run.storage.abortMultipart(key, uploadId);
    run.report.abortedMultipart.push({ key, uploadId, reason });
  } catch (error) {
    if (isNoSuchUpload(error)) return;
    run.report.failed.push({ action: "abort", key, message: message(error) });
  }
}
