import type { Ledger } from "../ledger/types.js";
import type { StorageClient } from "../storage/types.js";

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
}

/** Why something was removed: its upload expired, or nothing in the ledger owns it. */
export type SweepReason = "expired" | "orphan";

export interface ExpiredUpload {
  id: string;
  userId: string;
  route: string;
  key: string;
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
  action: "abort" | "delete";
  key: string;
  message: string;
}

export interface SweepReport {
  dryRun: boolean;
  /** Pending or uploaded rows moved to "expired" (their reservations released). */
  expired: ExpiredUpload[];
  abortedMultipart: AbortedMultipart[];
  deletedObjects: DeletedObject[];
  /** Storage calls that failed; the next run tries again. */
  failed: SweepFailure[];
  counts: { expired: number; abortedMultipart: number; deletedObjects: number; failed: number };
  /** Objects and multipart uploads listed under the prefixes. */
  scanned: { objects: number; multipartUploads: number };
  /** False when the limit stopped the run: pass `next` as `cursor` to go on. */
  complete: boolean;
  next?: string;
}
