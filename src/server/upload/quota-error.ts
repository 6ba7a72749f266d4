import { UpgateError } from "../../core/errors.js";
import { formatSize } from "../../core/util/sizes.js";
import type { ResolvedRoute } from "../config/resolved.js";
import type { QuotaLimit, QuotaUsage } from "../ledger/types.js";

/**
 * QUOTA_EXCEEDED with what is used, the limit and what was asked; `scope: "route"` when the
 * route-wide cap (routeQuota) refused rather than the caller's own quota. Retry-After: for a rolling
 * period, the period (by then everything counted now has left the window); for a total quota, the
 * URL lifetime plus the sweep grace, when abandoned reservations are released.
 */
export function quotaError(
  route: ResolvedRoute,
  refusal: { used: QuotaUsage; limit: QuotaLimit; scope?: "route" },
  requested: QuotaUsage,
  sweepGraceMs: number,
): UpgateError {
  const { used, limit } = refusal;
  const whose = refusal.scope === "route" ? "Upload capacity of the whole route" : "Upload quota";
  const parts: string[] = [];
  if (limit.bytes !== undefined && used.bytes + requested.bytes > limit.bytes) {
    parts.push(
      `${formatSize(used.bytes)} of ${formatSize(limit.bytes)} used, ${formatSize(requested.bytes)} requested`,
    );
  }
  if (limit.files !== undefined && used.files + requested.files > limit.files) {
    parts.push(`${used.files} of ${limit.files} files used, ${requested.files} requested`);
  }
  const retryAfterMs = limit.periodMs ?? route.policy.expiresIn * 1000 + sweepGraceMs;
  return new UpgateError(
    "QUOTA_EXCEEDED",
    `${whose} for ${route.policy.label} exceeded: ${parts.join("; ")}`,
    {
      details: {
        used,
        limit: { ...limit, period: limit.periodMs === undefined ? "total" : `${limit.periodMs / 1000}s` },
        requested,
        retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
        ...(refusal.scope && { scope: refusal.scope }),
      },
    },
  );
}
