import {
  HOLDING_STATUSES,
  type NewUpload,
  type QuotaLimit,
  type QuotaUsage,
  type ReserveResult,
} from "./types.js";

/** Refuses rows that do not belong to the user and route whose quota (and lock) the reservation takes. */
export function assertRowsMatchQuota(
  rows: readonly NewUpload[],
  quota: { userId: string; route: string },
): void {
  for (const row of rows) {
    if (row.userId !== quota.userId || row.route !== quota.route) {
      throw new Error(
        `reserve(): upload ${row.id} is for user ${row.userId} on route ${row.route}, but the quota is for user ${quota.userId} on route ${quota.route}.`,
      );
    }
    const tag = rows[0]?.idempotency;
    if (row.idempotency?.key !== tag?.key || row.idempotency?.requestHash !== tag?.requestHash) {
      throw new Error(`reserve(): upload ${row.id} has another Idempotency-Key than the first row`);
    }
  }
}

/** Start of the rolling window (exclusive), or undefined when the quota counts all time. */
export function windowStartMs(periodMs: number | undefined, now: Date): number | undefined {
  return periodMs === undefined ? undefined : now.getTime() - periodMs;
}

export function decideReservation(
  used: QuotaUsage,
  rows: readonly NewUpload[],
  limit: QuotaLimit,
): ReserveResult {
  const bytes = rows.reduce((sum, row) => sum + row.declaredSize, 0);
  const overBytes = limit.bytes !== undefined && used.bytes + bytes > limit.bytes;
  const overFiles = limit.files !== undefined && used.files + rows.length > limit.files;
  return overBytes || overFiles ? { ok: false, used, limit } : { ok: true };
}

/** SQL list of the statuses that hold quota, e.g. `status IN (${HOLDING_STATUS_SQL})`. */
export const HOLDING_STATUS_SQL = HOLDING_STATUSES.map((status) => `'${status}'`).join(", ");
