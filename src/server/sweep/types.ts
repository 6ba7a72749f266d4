import type { Ledger, UploadRow } from "../ledger/types.js";
import type { StorageClient } from "../s3/types.js";

export interface SweepOptions {
  ledger: Ledger;
  storage: StorageClient;
  /** The sweep's clock. Default: the current time. */
  now?: Date;
  /**
   * How long past a URL's expiry a pending upload is left alone, and how old an unowned object or
   * multipart upload must be before it is removed (so the sweep never races an upload being created).
   */
  graceMs: number;
  /**
   * The key prefixes this gateway writes under (its routes' prefixes), each read as a folder: "images"
   * means "images/". Nothing outside them is listed or touched. Never include a quarantine prefix.
   */
  prefixes: readonly string[];
  /** Report what would be done, change nothing. */
  dryRun?: boolean;
  /**
   * At most this many actions in one run: each expired row (with the abort or delete of its own
   * upload) counts as one, and so does each orphan upload aborted or object deleted. Default 1000.
   */
  limit?: number;
  /** `next` from a previous report: continue where that run stopped. */
  cursor?: string;
  /**
   * Completes an upload whose URLs have lapsed before it is expired (the gateway's verification,
   * see SweepCompletion). Without it, uploads are only expired, once past the grace period too.
   */
  complete?: (row: UploadRow, dryRun: boolean) => Promise<SweepCompletion>;
  /** Stops the run before its next action (as the limit does: the report's `next` goes on). */
  signal?: AbortSignal;
}

/**
 * What came of trying to complete an upload nobody completed:
 * - verified: its object passed the verification `complete` makes (the upload is now "verified";
 *   in a dry run, it would be: a multipart upload whose parts are all stored would be assembled
 *   and verified);
 * - rejected: its object failed it (the upload is now "rejected", its object removed);
 * - absent: nothing stored (or not every part): it expires once past the grace period;
 * - left: another call is verifying it, has just settled it, or the object changed meanwhile;
 *   the next sweep looks again;
 * - failed: storage (or something else) failed; the next sweep tries again.
 */
export type SweepCompletion =
  | { outcome: "verified"; key: string }
  | { outcome: "rejected"; code: string }
  | { outcome: "absent" }
  | { outcome: "left" }
  | { outcome: "failed"; message: string };

/** Why something was removed: its upload expired, or nothing in the ledger owns it. */
export type SweepReason = "expired" | "orphan";

export interface ExpiredUpload {
  id: string;
  userId: string;
  route: string;
  key: string;
}

/** An upload nobody completed whose object the sweeper verified; `key` is where it now is. */
export type CompletedUpload = ExpiredUpload;

/** An upload nobody completed whose object failed verification: `code` says how. */
export interface RejectedUpload extends ExpiredUpload {
  code: string;
}

export interface AbortedMultipart {
  key: string;
  uploadId: string;
  reason: SweepReason;
}

export interface DeletedObject {
  key: string;
  reason: SweepReason;
}

export interface SweepFailure {
  action: "abort" | "delete" | "verify";
  key: string;
  message: string;
}

export interface SweepReport {
  dryRun: boolean;
  /**
   * Uploads whose URLs lapsed with their object stored, verified as `complete` would (hook and
   * webhook told `completedBy: "sweeper"`; their quota stays charged).
   */
  verified: CompletedUpload[];
  /** Uploads whose URLs lapsed with an object that failed verification (removed, quota released). */
  rejected: RejectedUpload[];
  /** Pending or uploaded rows with nothing stored moved to "expired" (their reservations released). */
  expired: ExpiredUpload[];
  abortedMultipart: AbortedMultipart[];
  deletedObjects: DeletedObject[];
  /** Storage calls that failed; the next run tries again. */
  failed: SweepFailure[];
  counts: {
    verified: number;
    rejected: number;
    expired: number;
    abortedMultipart: number;
    deletedObjects: number;
    failed: number;
  };
  /** Objects and multipart uploads listed under the prefixes. */
  scanned: { objects: number; multipartUploads: number };
  /** False when the limit stopped the run: pass `next` as `cursor` to go on. */
  complete: boolean;
  next?: string;
}
