import type { Ledger, UploadRow } from "../../ledger/types.js";

/**
 * How long a lease lasts unless renewed: the longest a complete retried after its instance died
 * waits before it takes the verification over. Short, because losing a lease costs little: a holder
 * stalled past it (or a clock skewed past it) only lets a second verification run, and the ledger's
 * compare-and-set transitions still record one verdict.
 */
export const LEASE_MS = 6_000;
/** The holder renews this often, so a long read (hashing a big object) keeps its lease. */
export const RENEW_EVERY_MS = 2_000;

export interface HeldLease {
  /** The row as claimed ("uploaded"). */
  row: UploadRow;
  /** Stops renewing and ends the lease (a transition has usually ended it already). */
  release(): Promise<void>;
}

/**
 * Claims the verification lease of the "uploaded" row `id` for `leaseId` (see
 * Ledger.claimVerification) and renews it until released; undefined when another holder's lease is
 * live or the row is not "uploaded". A failed renewal is not an error: the lease then ends by
 * itself, and the ledger's compare-and-set transitions still decide the verdict.
 */
export async function claimLease(
  ledger: Ledger,
  id: string,
  leaseId: string,
): Promise<HeldLease | undefined> {
  const now = Date.now();
  const row = await ledger.claimVerification(id, leaseId, new Date(now + LEASE_MS), new Date(now));
  if (!row) return undefined;
  const timer = setInterval(() => {
    ledger.renewVerification(id, leaseId, new Date(Date.now() + LEASE_MS)).catch(() => {});
  }, RENEW_EVERY_MS);
  return {
    row,
    async release() {
      clearInterval(timer);
      await ledger.releaseVerification(id, leaseId).catch(() => {});
    },
  };
}
