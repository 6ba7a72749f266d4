import { UpgateError } from "../../core/errors.js";
import type { GatewayLog } from "../observe/log.js";
import type { Scrubber } from "../observe/scrub.js";
import { storageFailure } from "../s3/api-failure.js";
import { CredentialsError } from "../s3/credentials/errors.js";
import { json, type Reply } from "./respond.js";

/** Details keys that become response headers rather than staying only in the body. */
const RETRY_AFTER = "retryAfterSeconds";

/**
 * The one place an error becomes a response: an UpgateError answers with its code's status and
 * `{"error":{"code","message","details"}}` (scrubbed of any secret); anything else is logged with
 * its cause and answered 500 INTERNAL with a generic message. 429s carry Retry-After.
 */
export function errorResponse(thrown: unknown, log: GatewayLog, scrub: Scrubber): Reply {
  // No credentials to sign or call storage with, wherever it surfaced: the storage is unavailable.
  const error = thrown instanceof CredentialsError ? storageFailure(thrown) : thrown;
  if (!(error instanceof UpgateError)) {
    log.error("unexpected error", error);
    return json(500, { error: { code: "INTERNAL", message: "Internal error; the cause has been logged." } });
  }
  if (error.status >= 500) log.error(`${error.code}: ${error.message}`, error.cause ?? error);
  const headers: Record<string, string> = {};
  const retryAfter = error.details?.[RETRY_AFTER];
  if (typeof retryAfter === "number") headers["retry-after"] = String(Math.max(1, Math.ceil(retryAfter)));
  else if (error.status === 429) headers["retry-after"] = "60";
  if (error.status === 401) headers["www-authenticate"] = "Bearer";
  if (error.status === 405 && Array.isArray(error.details?.allow)) {
    headers.allow = (error.details.allow as string[]).join(", ");
  }
  return json(error.status, scrub(error.toJSON()), headers);
}
