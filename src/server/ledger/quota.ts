import { subjectOf } from "./row.js";
import {
  HOLDING_STATUSES,
  type NewUpload,
  type QuotaLimit,
  type QuotaUsage,
  type ReserveResult,
} from "./types.js";

/**
 * Refuses rows that do not belong to the user, subject and route whose quota (and lock) the
 * reservation takes; returns the subject.
 */
export function assertRowsMatchQuota(
  rows: readonly NewUpload[],
  quota: { userId: string; subject?: string; route: string },
): string {
  const subject = quota.subject ?? quota.userId;
  for (const row of rows) {
    if (row.userId !== quota.userId || subjectOf(row) !== subject || row.route !== quota.route) {
      throw new Error(
        `reserve(): upload ${row.id} is for user ${row.userId} (subject ${subjectOf(row)}) on route ${row.route}, but the quota is for user ${quota.userId} (subject ${subject}) on route ${quota.route}.`,
      );
    }
    const tag = rows[0]?.idempotency;
    if (row.idempotency?.key !== tag?.key || row.idempotency?.requestHash !== tag?.requestHash) {
      throw new Error(`reserve(): upload ${row.id} has another Idempotency-Key than the first row`);
    }
  }
  return subject;
}

/** Start of the rolling window (exclusive), or undefined when the quota counts all time. */
export function windowStartMs(periodMs: number | undefined, now: Date): number | undefined {
  return periodMs === undefined ? undefined : now.getTime() - periodMs;
}

/** Whether `limit` caps anything: one with neither bytes nor files admits every reservation unread. */
export function capsUsage(limit: QuotaLimit): boolean {
  return limit.bytes !== undefined || limit.files !== undefined;
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

/**
 * The subject's decision, then the route-wide cap's when the route sets one (`routeUsage` is read
 * only then, and only when the cap limits bytes or files). A route refusal carries scope "route" and
 * the whole route's usage.
 */
export function decideWithRouteCap(
  subjectDecision: ReserveResult,
  rows: readonly NewUpload[],
  routeLimit: QuotaLimit | undefined,
  routeUsage: () => QuotaUsage,
): ReserveResult {
  if (!subjectDecision.ok || routeLimit === undefined || !capsUsage(routeLimit)) return subjectDecision;
  const decision = decideReservation(routeUsage(), rows, routeLimit);
  return decision.ok ? decision : { ...decision, scope: "route" };
}

/** SQL list of the statuses that hold quota, e.g. `status IN (${HOLDING_STATUS_SQL})`. */
export const HOLDING_STATUS_SQL = HOLDING_STATUSES.map((status) => `'${status}'`).join(", ");
