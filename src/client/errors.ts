/**
 * The one error type the client rejects with. Retries read only `retryable`; people read
 * `describeError(err)`.
 */
export type UploadErrorCode = "NETWORK" | "ABORTED" | "TIMEOUT" | "GATEWAY" | "STORAGE" | "CHECKSUM";

export interface UploadErrorInit {
  retryable?: boolean;
  /** HTTP status of the response that failed (0 or undefined: no response). */
  status?: number;
  /** The gateway's error code (POLICY_TOO_LARGE, ...) or the storage's (BadDigest, ...). */
  serverCode?: string;
  serverMessage?: string;
  details?: Record<string, unknown>;
  /** The file's name, when the error is about one file. */
  file?: string;
  /** Milliseconds the server asked us to wait (Retry-After). */
  retryAfterMs?: number;
  cause?: unknown;
}

export class UploadError extends Error {
  override readonly name = "UploadError";
  readonly code: UploadErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly serverCode: string | undefined;
  readonly serverMessage: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterMs: number | undefined;
  /** Set when the error names a file (see withFile). */
  file: string | undefined;
  /** How many attempts were made before giving up (set by the retry loop). */
  attempts: number | undefined;

  constructor(code: UploadErrorCode, message: string, init: UploadErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.retryable = init.retryable ?? false;
    this.status = init.status;
    this.serverCode = init.serverCode;
    this.serverMessage = init.serverMessage;
    this.details = init.details;
    this.file = init.file;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = undefined;
  }
}

export function isUploadError(value: unknown): value is UploadError {
  return value instanceof UploadError;
}

/** An ABORTED error (never retryable). */
export function abortedError(message = "the upload was cancelled"): UploadError {
  return new UploadError("ABORTED", message);
}

/** Wraps anything thrown into an UploadError; UploadErrors pass through. */
export function toUploadError(err: unknown): UploadError {
  if (err instanceof UploadError) return err;
  if (isAbortLike(err)) return abortedError();
  const message = err instanceof Error ? err.message : String(err);
  return new UploadError("NETWORK", message || "network error", { retryable: true, cause: err });
}

/** DOMException AbortError, or an error whose name says it was aborted. */
export function isAbortLike(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "AbortError";
}

/** Attaches a file name to an error (first name wins). */
export function withFile(err: UploadError, file: string): UploadError {
  if (err.file === undefined) err.file = file;
  return err;
}

/** The storage answered 403 "Request has expired": re-sign and try again. */
export function isExpired(err: UploadError): boolean {
  return err.code === "STORAGE" && err.status === 403 && /expired/i.test(err.serverMessage ?? "");
}
