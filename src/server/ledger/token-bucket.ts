/**
 * Token-bucket arithmetic shared by the ledgers. A bucket's state is `credit` (tokens × 60000) and the
 * time it was last refilled: in those units a bucket refills `perMinute` credit per millisecond, so with
 * integer rates and millisecond clocks every value stays an exact integer and no token is lost to rounding.
 */
export const CREDIT_PER_TOKEN = 60_000;

export function assertRate(perMinute: number): void {
  if (!Number.isFinite(perMinute) || perMinute < 1) {
    throw new RangeError(`A rate limit needs at least 1 request per minute, got ${perMinute}.`);
  }
}

/** Credit of a bucket at `nowMs`; a clock behind `updatedMs` (another instance's) adds nothing. */
export function refilledCredit(credit: number, updatedMs: number, perMinute: number, nowMs: number): number {
  return Math.min(perMinute * CREDIT_PER_TOKEN, credit + Math.max(0, nowMs - updatedMs) * perMinute);
}

/** How long until a bucket holding `credit` has one whole token. */
export function retryAfterMs(credit: number, perMinute: number): number {
  return Math.max(0, Math.ceil((CREDIT_PER_TOKEN - credit) / perMinute));
}
