import { UpgateError } from "../../core/errors.js";
import type { ResolvedRoute } from "../config/resolved.js";
import type { Ledger } from "../ledger/types.js";
import type { Principal } from "../principal.js";
import { quotaSubject } from "./quota-subject.js";

/**
 * "create": POST /v1/uploads, `rateLimit.perMinute` per minute (bucket `<who>:<route>`). "complete":
 * a complete that must check storage, in its own bucket `<who>:<route>/complete` of
 * `perMinute × maxFiles` (one create may make maxFiles uploads, each completed once).
 */
export type RateAction = "create" | "complete";

/**
 * Takes one token from the caller's bucket for the route and action (shared by every instance
 * through the ledger), or throws RATE_LIMITED with the wait. The bucket is the caller's quota subject:
 * the user, or for anonymous callers their address (quota-subject.ts).
 */
export async function takeRateToken(
  ledger: Ledger,
  route: ResolvedRoute,
  principal: Principal,
  clientIp: string | undefined,
  action: RateAction = "create",
): Promise<void> {
  if (!route.rateLimit) return;
  const who = quotaSubject(principal, clientIp);
  const creates = action === "create";
  const perMinute = creates ? route.rateLimit.perMinute : route.rateLimit.perMinute * route.policy.maxFiles;
  // Route names have no ":" nor "/", so no user id can make a create key equal a complete key.
  const bucketKey = `${who}:${route.policy.name}${creates ? "" : "/complete"}`;
  const result = await ledger.takeToken(bucketKey, perMinute, new Date());
  if (result.ok) return;
  const retryAfterSeconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  const what = creates ? "upload requests" : "completions";
  throw new UpgateError(
    "RATE_LIMITED",
    `Too many ${what} for ${route.policy.label}: at most ${perMinute} per minute; retry in ${retryAfterSeconds} s`,
    { details: { perMinute, retryAfterSeconds } },
  );
}
