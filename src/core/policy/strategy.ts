import { MAX_SINGLE_UPLOAD } from "./limits.js";
import type { RoutePolicy } from "./route-policy.js";

/**
 * How one file of `size` bytes is uploaded. "auto" is a single PUT up to the route's
 * multipartThreshold (and never above S3's 5 GiB PUT limit), multipart above. Other strategies
 * are returned as they are: checkFiles has already refused sizes they cannot carry, and whether
 * the backend takes POST uploads is checked when the config is loaded, so `backendSupportsPost`
 * is not consulted here; it is in the signature so callers state what they know.
 */
export function chooseStrategy(
  route: RoutePolicy,
  size: number,
  _backendSupportsPost: boolean,
): "put" | "post" | "multipart" {
  if (route.strategy !== "auto") return route.strategy;
  return size <= Math.min(route.multipartThreshold, MAX_SINGLE_UPLOAD) ? "put" : "multipart";
}
