import { UploadError } from "../errors.js";

/** The page's origin, when there is a page (browsers; not Node). */
function pageOrigin(): string | undefined {
  const location = (globalThis as { location?: { origin?: unknown } }).location;
  return typeof location?.origin === "string" && location.origin !== "null" ? location.origin : undefined;
}

/**
 * The error for a fetch that threw before any answer came from a gateway on another origin, when
 * no call to it has worked yet. A browser reports a CORS refusal exactly like a network failure
 * (a bare TypeError), so retrying it for seconds and then saying "network connection lost" sends
 * people the wrong way: this one fails at once and names the likely cause. Undefined when the
 * gateway is on the page's own origin, or there is no page.
 */
export function crossOriginFailure(url: string, cause: unknown): UploadError | undefined {
  const page = pageOrigin();
  let gateway: string;
  try {
    gateway = new URL(url).origin;
  } catch {
    return undefined;
  }
  if (page === undefined || gateway === page) return undefined;
  return new UploadError(
    "NETWORK",
    `the upload server at ${gateway} could not be reached from this page (${page}): if it is running, ` +
      `CORS may be the cause, so allow ${page} in the gateway's cors.origins`,
    { cause, details: { cors: true, gateway, page } },
  );
}
