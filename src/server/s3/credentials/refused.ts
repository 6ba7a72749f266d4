import { StorageError } from "../types.js";

/** What storage answers when it no longer takes the credentials a request was signed with. */
const REFUSED = new Set(["ExpiredToken", "TokenRefreshRequired", "InvalidToken", "InvalidAccessKeyId"]);

/**
 * Whether storage refused a request's credentials (they expired, or were rotated away), so that
 * new ones may succeed. A HEAD answer has no body: S3 answers an expired token with a bare 400, and
 * an unknown key with a bare 403.
 */
export function refusedCredentials(err: unknown, method: string): boolean {
  if (!(err instanceof StorageError)) return false;
  if (REFUSED.has(err.code)) return true;
  return method === "HEAD" && (err.status === 400 || err.status === 403);
}
