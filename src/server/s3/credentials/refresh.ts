import type { GatewayLog } from "../../observe/log.js";
import type { GatewayMetrics } from "../../observe/metrics.js";
import type { RefreshEvent } from "./types.js";

/** Download URLs (GET /v1/files/:id) live this long; see handlers/get-file.ts. */
const DOWNLOAD_URL_SECONDS = 60;
const SPARE_SECONDS = 60;

/**
 * How long before expiry credentials are refreshed: the longest URL any route signs, plus a minute.
 * A URL signed just before a refresh then never outlives the credentials that signed it, unless the
 * credentials live shorter than that (they are then refreshed at half their life, and URLs are capped).
 */
export function refreshMarginMs(routes: Iterable<{ policy: { expiresIn: number } }>): number {
  let longest = DOWNLOAD_URL_SECONDS;
  for (const route of routes) longest = Math.max(longest, route.policy.expiresIn);
  return (longest + SPARE_SECONDS) * 1000;
}

/** Logs and counts each fetch of storage credentials; never a secret (the log is scrubbed too). */
export function credentialEvents(log: GatewayLog, metrics: GatewayMetrics) {
  return (event: RefreshEvent): void => {
    metrics.credentialRefreshes.inc({ outcome: event.outcome, reason: event.reason });
    const expiration = event.expiration?.toISOString();
    if (event.outcome === "ok") {
      log.info("storage credentials refreshed", { reason: event.reason, ...(expiration && { expiration }) });
    } else if (event.kept) {
      log.warn("storage credentials could not be refreshed; the ones held are used while they last", {
        reason: event.reason,
        error: (event.error as Error)?.message ?? String(event.error),
      });
    } else {
      log.error("storage credentials could not be obtained", event.error, { reason: event.reason });
    }
  };
}
