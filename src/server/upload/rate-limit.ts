import { UpgateError } from "../../core/errors.js";
import type { Principal } from "../auth/principal.js";
import type { ResolvedRoute } from "../config/resolved.js";
import type { Ledger } from "../ledger/types.js";
import { quotaSubject } from "./quota-subject.js";

/**
 * Takes one token from the caller's bucket for the route (shared by every instance through the
 * ledger), or throws RATE_LIMITED with the wait. The bucket is the caller's quota subject: the user,
 * or for anonymous callers their address (quota-subject.ts).
 */
export async function takeRateToken(
  ledger: Ledger,
  route: ResolvedRoute,
  principal: Principal,
  clientIp: string | undefined,
): Promise<void> {
  if (!route.rateLimit) return;
  const who = quotaSubject(principal, clientIp);
  const { perMinute } = route.rateLimit;
  const result = await ledger.takeToken(`${who}:${route.policy.name}`, perMinute, new Date());
  if (result.ok) return;
  const retryAfterSeconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  throw new UpgateError(
    "RATE_LIMITED",
    `Too many upload requests for ${route.policy.label}: at most ${perMinute} per minute; retry in ${retryAfterSeconds} s`,
    { details: { perMinute, retryAfterSeconds } },
  );
}
