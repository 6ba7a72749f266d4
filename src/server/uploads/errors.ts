/** The errors the upload flows answer with, built in one place. */
import type { ErrorCode } from "../../core/errors.js";
import { UpgateError } from "../../core/errors.js";
import type { FileProblem } from "../../core/policy/route.js";
import { formatSize } from "../../core/util/sizes.js";
import type { ResolvedRoute } from "../config/resolved.js";
import type { QuotaLimit, QuotaUsage } from "../ledger/types.js";

const MAX_LISTED = 5;

/**
 * One error for every problem of a create request. The code is the problems' own when they share
 * one; else POLICY_TOO_LARGE (413) when any file is too large, as the most relevant; else
 * VALIDATION_FAILED. details.problems lists them all, by file.
 */
export function policyError(problems: readonly FileProblem[]): UpgateError {
  const codes = new Set<ErrorCode>(problems.map((p) => p.code));
  const code: ErrorCode =
    codes.size === 1
      ? problems[0]!.code
      : codes.has("POLICY_TOO_LARGE")
        ? "POLICY_TOO_LARGE"
        : "VALIDATION_FAILED";
  const listed = problems.slice(0, MAX_LISTED).map((p) => p.message);
  const more = problems.length > MAX_LISTED ? ` (and ${problems.length - MAX_LISTED} more)` : "";
  const message =
    problems.length === 1 ? listed[0]! : `${problems.length} problems: ${listed.join("; ")}${more}`;
  return new UpgateError(code, message, { details: { problems } });
}

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

/** A request without credentials where they are required. */
export function authRequired(): UpgateError {
  return new UpgateError("AUTH_REQUIRED", "Authentication required: send Authorization: Bearer <token>");
}

/** Someone else's upload answers exactly like one that does not exist. */
export function uploadNotFound(id: string): UpgateError {
  return new UpgateError("UPLOAD_NOT_FOUND", "No upload with this id belongs to you", { details: { id } });
}

/** Another request changed the upload's row between our read and our write. */
export function concurrentChange(): UpgateError {
  return new UpgateError(
    "UPLOAD_STATE_CONFLICT",
    "The upload is being changed by another request; try again",
  );
}
