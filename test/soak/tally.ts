/** What the virtual users did, added up across all of them. */
export interface UploadFailure {
  userId: string;
  size: number;
  code: string;
  serverCode?: string;
  status?: number;
  message: string;
}

export interface WrongRefusal {
  userId: string;
  size: number;
  /** What the gateway said was used, and what the ledger and the user's own records say. */
  refusedWith: { bytes: number; files: number };
  ledger: { bytes: number; files: number };
  known: { bytes: number; files: number };
}

export interface Tally {
  attempted: number;
  verified: number;
  verifiedBytes: number;
  multipart: number;
  aborted: number;
  /** Aborted uploads whose row still held quota after the client's cleanup (its DELETE was lost). */
  abortedStillHolding: number;
  quotaRefused: number;
  /** Refusals where the ledger held reservations the user never received (a create answer lost). */
  refusedWithUnseenReservations: number;
  wrongRefusals: WrongRefusal[];
  failures: UploadFailure[];
  retries: number;
  deleted: number;
  deleteFailures: number;
  downloads: number;
  downloadFailures: UploadFailure[];
  sha256Mismatches: Array<{ id: string; expected: string; got: string; where: "record" | "download" }>;
  /** Ledger ids of verified uploads, with the sha256 (base64) and size that were uploaded. */
  expected: Map<string, { sha256: string; size: number; userId: string }>;
  /**
   * Uploads aborted while still pending or uploaded, with what was being uploaded: the final sweep
   * verifies those whose bytes were all stored (completion without the client).
   */
  abandoned: Map<string, { sha256: string; size: number; userId: string }>;
  latency: { create: number[]; complete: number[] };
}

export function emptyTally(): Tally {
  return {
    attempted: 0,
    verified: 0,
    verifiedBytes: 0,
    multipart: 0,
    aborted: 0,
    abortedStillHolding: 0,
    quotaRefused: 0,
    refusedWithUnseenReservations: 0,
    wrongRefusals: [],
    failures: [],
    retries: 0,
    deleted: 0,
    deleteFailures: 0,
    downloads: 0,
    downloadFailures: [],
    sha256Mismatches: [],
    expected: new Map(),
    abandoned: new Map(),
    latency: { create: [], complete: [] },
  };
}
