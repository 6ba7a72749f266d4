import { UploadError } from "./errors.js";

/** Sentences for gateway codes whose own message is not meant for end users, or may be missing. */
const GATEWAY_WORDS: Record<string, string> = {
  AUTH_REQUIRED: "sign in to upload",
  AUTH_INVALID: "your sign-in has expired or is invalid — sign in again",
  FORBIDDEN: "you are not allowed to upload here",
  ROUTE_NOT_FOUND: "this kind of upload does not exist on the server",
  UPLOAD_NOT_FOUND: "the upload no longer exists (it expired or was cancelled)",
  UPLOAD_STATE_CONFLICT: "the upload was already cancelled or has expired",
  UPLOAD_NOT_UPLOADED: "the upload did not reach storage — try again",
  VERIFY_SIZE_MISMATCH: "the file changed while uploading (its size differs)",
  VERIFY_CHECKSUM_MISMATCH: "the file changed while uploading",
  VERIFY_TYPE_MISMATCH: "the stored file's type differs from the declared type, so it was rejected",
  VERIFY_CONTENT_MISMATCH: "the file's content does not match its type, so it was rejected",
  VERIFY_METADATA_MISMATCH: "the stored file's metadata was altered, so it was rejected",
  STORAGE_UNAVAILABLE: "storage is unavailable — try again later",
  STORAGE_ERROR: "storage failed — try again later",
  INTERNAL: "the upload server failed — try again later",
};

/** Codes whose server message is already a plain sentence naming the file (policy refusals). */
const SERVER_SAYS_IT: ReadonlySet<string> = new Set([
  "POLICY_TYPE_NOT_ALLOWED",
  "POLICY_TOO_LARGE",
  "POLICY_TOO_SMALL",
  "POLICY_TOO_MANY_FILES",
  "POLICY_CHECKSUM_REQUIRED",
  "VALIDATION_FAILED",
  "HOOK_REJECTED",
  "QUOTA_EXCEEDED",
]);

/** Codes about the request or the server, not about one file: no file name in front. */
const REQUEST_LEVEL: ReadonlySet<string> = new Set([
  "AUTH_REQUIRED",
  "AUTH_INVALID",
  "FORBIDDEN",
  "ROUTE_NOT_FOUND",
  "STORAGE_UNAVAILABLE",
  "STORAGE_ERROR",
  "INTERNAL",
]);

function named(file: string | undefined, text: string): string {
  return file ? `${file}: ${text}` : text;
}

/** Every problem of a refused create request, when the gateway listed them one per file. */
function listedProblems(details: Record<string, unknown> | undefined): string[] {
  const list = details?.problems ?? details?.files;
  if (!Array.isArray(list)) return [];
  return list.flatMap((p) =>
    p && typeof p === "object" && typeof (p as { message?: unknown }).message === "string"
      ? [(p as { message: string }).message]
      : [],
  );
}

/** "its content is text/html, not image/png", from the gateway's sniffing details. */
function contentWords(details: Record<string, unknown> | undefined): string | undefined {
  const declared = details?.declared;
  if (typeof declared !== "string") return undefined;
  const detected = typeof details?.detected === "string" ? details.detected : undefined;
  return detected
    ? `rejected: its content is ${detected}, not ${declared}`
    : `rejected: its content is not ${declared}`;
}

function gatewayWords(err: UploadError): string {
  const code = err.serverCode ?? "";
  if (code === "VERIFY_CONTENT_MISMATCH") {
    const words = contentWords(err.details);
    if (words) return named(err.file, words);
  }
  const problems = listedProblems(err.details);
  if (problems.length > 0) return problems.join("; ");
  if (code === "RATE_LIMITED") {
    const wait = err.retryAfterMs === undefined ? "" : ` in ${Math.ceil(err.retryAfterMs / 1000)} s`;
    return `too many uploads at once — try again${wait}`;
  }
  if (SERVER_SAYS_IT.has(code) && err.serverMessage) return err.serverMessage;
  const words = GATEWAY_WORDS[code];
  if (words) return REQUEST_LEVEL.has(code) ? words : named(err.file, words);
  if (err.serverMessage) return named(err.file, err.serverMessage);
  if ((err.status ?? 0) >= 500)
    return named(err.file, `the upload server is unavailable (HTTP ${err.status})`);
  return named(err.file, err.message);
}

function gaveUp(err: UploadError, text: string): string {
  if (err.attempts === undefined && err.retryable) return `${text} — retrying`;
  return err.attempts !== undefined && err.attempts > 1
    ? `${text} (gave up after ${err.attempts} tries)`
    : text;
}

/**
 * An error in words a person understands: "photo.heic is HEIC, not an allowed type for Images (allowed:
 * PNG, JPEG, WebP, GIF)", "photo.png is too large: 12 MB, limit 10 MB", "movie.mp4: the file
 * changed while uploading", "network connection lost — retrying".
 */
export function describeError(err: unknown): string {
  if (!(err instanceof UploadError)) {
    return err instanceof Error ? err.message : String(err);
  }
  switch (err.code) {
    case "ABORTED":
      return named(err.file, "upload cancelled");
    case "NETWORK":
      // A gateway on another origin that never answered: the message names CORS and both origins.
      if (err.details?.cors === true) return err.message;
      return named(err.file, gaveUp(err, "network connection lost"));
    case "TIMEOUT":
      return named(err.file, gaveUp(err, err.message));
    case "CHECKSUM":
      return named(err.file, "the file changed while uploading");
    case "STORAGE":
      return named(err.file, err.retryable ? gaveUp(err, err.message) : err.message);
    case "GATEWAY":
      return gatewayWords(err);
  }
}
