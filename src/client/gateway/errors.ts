import { UploadError } from "../errors.js";
import { parseRetryAfter } from "../retry/backoff.js";

interface ErrorBodyShape {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** Gateway codes that a retry cannot fix although their status is 429 or 5xx. */
const FINAL_CODES = new Set(["QUOTA_EXCEEDED", "CONFIG_INVALID"]);
/** Gateway codes that mean the bytes are not the declared bytes. */
const CHECKSUM_CODES = new Set(["VERIFY_CHECKSUM_MISMATCH"]);

/** The UploadError for a non-2xx gateway response with body text `text`. */
export function gatewayError(status: number, text: string, retryAfter: string | null): UploadError {
  let parsed: ErrorBodyShape | undefined;
  try {
    parsed = JSON.parse(text) as ErrorBodyShape;
  } catch {
    parsed = undefined;
  }
  const body = parsed?.error;
  const serverCode = typeof body?.code === "string" ? body.code : undefined;
  const serverMessage = typeof body?.message === "string" ? body.message : undefined;
  const details =
    body?.details && typeof body.details === "object" ? (body.details as Record<string, unknown>) : undefined;
  const retryable = (status >= 500 || status === 429 || status === 408) && !FINAL_CODES.has(serverCode ?? "");
  const retryAfterMs = parseRetryAfter(retryAfter);
  const code = serverCode && CHECKSUM_CODES.has(serverCode) ? "CHECKSUM" : "GATEWAY";
  const message = serverMessage ?? `the upload server answered HTTP ${status}`;
  return new UploadError(code, message, {
    retryable,
    status,
    ...(serverCode === undefined ? {} : { serverCode }),
    ...(serverMessage === undefined ? {} : { serverMessage }),
    ...(details === undefined ? {} : { details }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
