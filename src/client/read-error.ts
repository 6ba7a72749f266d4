import { abortedError, isAbortLike, UploadError } from "./errors.js";

/**
 * Reading a File fails (NotReadableError) when it changed or was removed on disk after it was
 * picked: say so plainly. Other errors pass through.
 */
export function readFailure(err: unknown): unknown {
  if (err instanceof UploadError) return err;
  if (isAbortLike(err)) return abortedError();
  const name = typeof err === "object" && err !== null ? (err as { name?: unknown }).name : undefined;
  if (name === "NotReadableError" || name === "NotFoundError") {
    return new UploadError("CHECKSUM", "the file changed while uploading (it can no longer be read)", {
      cause: err,
    });
  }
  return err;
}
