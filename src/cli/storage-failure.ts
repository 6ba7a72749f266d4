import { StorageError } from "../server/s3/types.js";

/** The first system error code (ECONNREFUSED, ENOTFOUND, ...) along the cause chain, else the deepest cause's message. */
function rootCause(err: unknown): string | undefined {
  let current = (err as { cause?: unknown } | undefined)?.cause as
    | { code?: unknown; cause?: unknown; message?: unknown }
    | undefined;
  let deepest: string | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === "string" && /^E[A-Z_]+$/.test(current.code)) return current.code;
    if (typeof current.message === "string" && current.message) deepest = current.message;
    current = current.cause as typeof current;
  }
  return deepest;
}

/** One line for a failed storage call: S3's code and message, or the network error and its cause. */
export function describeStorageFailure(err: unknown): string {
  if (err instanceof StorageError) return `${err.status} ${err.code}: ${err.message}`;
  const message = (err as Error)?.message ?? String(err);
  const cause = rootCause(err);
  return cause && !message.includes(cause) ? `${message} (${cause})` : message;
}
