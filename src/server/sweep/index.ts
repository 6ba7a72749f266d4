import { decodePosition, encodePosition, type SweepPosition } from "./cursor.js";
import { expireStale } from "./expire.js";
import { abortOrphanUploads } from "./multipart.js";
import { deleteOrphanObjects } from "./objects.js";
import { sweepPrefixes } from "./prefixes.js";
import type { SweepRun } from "./run.js";
import type { SweepOptions, SweepReport } from "./types.js";

export type * from "./types.js";

const DEFAULT_LIMIT = 1000;

/**
 * Cleans up after uploads that never finished, in three phases:
 * (a) with `complete`, completes pending/uploaded rows whose URLs have lapsed and whose object (or
 *     every part) is stored: verified, or rejected as `complete` would; then expires the rows past
 *     their URL expiry plus the grace period with nothing stored, releasing their reservations,
 *     aborting their multipart uploads and deleting their objects;
 * (b) aborts multipart uploads under the prefixes that no pending/uploaded row owns;
 * (c) deletes objects under the prefixes that no verified/pending/uploaded row owns.
 * Anything younger than the grace period, outside the prefixes, or owned as above is left alone.
 * At most `limit` actions per run; when the limit stops it, the report's `next` resumes it.
 */
export async function sweep(options: SweepOptions): Promise<SweepReport> {
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("upgate: sweep limit must be >= 1");
  if (!Number.isFinite(options.graceMs) || options.graceMs < 0) {
    throw new RangeError("upgate: sweep graceMs must be a non-negative number");
  }
  const prefixes = sweepPrefixes(options.prefixes);
  const start = options.cursor === undefined ? undefined : decodePosition(options.cursor);
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.graceMs);
  const run: SweepRun = {
    ledger: options.ledger,
    storage: options.storage,
    bucket: options.storage.config.bucket,
    dryRun: options.dryRun ?? false,
    cutoff,
    lapsedBefore: options.complete ? now : cutoff,
    complete: options.complete,
    signal: options.signal,
    remaining: limit,
    report: emptyReport(options.dryRun ?? false),
  };
  const stoppedAt = await runPhases(run, prefixes, start);
  return finish(run.report, stoppedAt);
}

async function runPhases(
  run: SweepRun,
  prefixes: string[],
  start: SweepPosition | undefined,
): Promise<SweepPosition | undefined> {
  const phase = start?.phase ?? "expire";
  if (phase === "expire") {
    const stopped = await expireStale(run, start?.phase === "expire" ? start.skip : 0);
    if (stopped) return stopped;
  }
  if (phase !== "objects") {
    for (const prefix of remainingPrefixes(
      prefixes,
      start?.phase === "multipart" ? start.prefix : undefined,
    )) {
      const at = start?.phase === "multipart" && start.prefix === prefix ? start : undefined;
      // Told to stop: not even the next listing.
      if (run.signal?.aborted) return at ?? { phase: "multipart", prefix, atKey: "", atUploadId: "" };
      const stopped = await abortOrphanUploads(run, prefix, at);
      if (stopped) return stopped;
    }
  }
  for (const prefix of remainingPrefixes(prefixes, start?.phase === "objects" ? start.prefix : undefined)) {
    const at = start?.phase === "objects" && start.prefix === prefix ? start : undefined;
    if (run.signal?.aborted) return at ?? { phase: "objects", prefix, atKey: "" };
    const stopped = await deleteOrphanObjects(run, prefix, at);
    if (stopped) return stopped;
  }
  return undefined;
}

/** The prefixes from `from` on (all of them when it is not one of them any more). */
function remainingPrefixes(prefixes: string[], from: string | undefined): string[] {
  const index = from === undefined ? -1 : prefixes.indexOf(from);
  return index < 0 ? prefixes : prefixes.slice(index);
}

export function emptyReport(dryRun: boolean): SweepReport {
  return {
    dryRun,
    verified: [],
    rejected: [],
    expired: [],
    abortedMultipart: [],
    deletedObjects: [],
    failed: [],
    counts: { verified: 0, rejected: 0, expired: 0, abortedMultipart: 0, deletedObjects: 0, failed: 0 },
    scanned: { objects: 0, multipartUploads: 0 },
    complete: true,
  };
}

function finish(report: SweepReport, stoppedAt: SweepPosition | undefined): SweepReport {
  report.counts = {
    verified: report.verified.length,
    rejected: report.rejected.length,
    expired: report.expired.length,
    abortedMultipart: report.abortedMultipart.length,
    deletedObjects: report.deletedObjects.length,
    failed: report.failed.length,
  };
  if (stoppedAt) {
    report.complete = false;
    report.next = encodePosition(stoppedAt);
  }
  return report;
}
