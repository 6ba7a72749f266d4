import { readErrorDocument } from "../../core/s3/xml-read.js";
import { UploadError } from "../errors.js";
import { parseRetryAfter } from "../retry/backoff.js";
import type { TransportResponse } from "../transport/types.js";

/** Storage codes that mean "the bytes are not the bytes that were signed". */
const CHECKSUM_CODES = new Set(["BadDigest", "XAmzContentSHA256Mismatch", "InvalidDigest"]);
/** Transient storage codes, whatever their status. */
const TRANSIENT_CODES = new Set(["RequestTimeout", "IncompleteBody", "SlowDown", "InternalError"]);

function plainMessage(status: number, code: string | undefined, message: string | undefined): string {
  if (code && CHECKSUM_CODES.has(code)) return "the file changed while uploading";
  if (status === 403 && /expired/i.test(message ?? "")) return "the upload link expired";
  if (code === "SignatureDoesNotMatch") {
    return "storage refused the upload's signature (the file may have changed while uploading)";
  }
  if (code === "EntityTooLarge") return "the file is larger than this upload allows";
  if (code === "EntityTooSmall") return "the file is smaller than this upload allows";
  if (code === "NoSuchUpload") return "the upload no longer exists in storage (cancelled or expired)";
  if (code === "PreconditionFailed") return "the file was already uploaded to this link";
  if (code === "RequestTimeTooSkewed")
    return "the server's clock is off: storage refused the signature's time";
  if (status === 429 || code === "SlowDown") return "storage is busy (too many requests)";
  if (status >= 500) return `storage is unavailable (HTTP ${status})`;
  return `storage refused the upload (HTTP ${status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""})`;
}

/**
 * The UploadError for a storage response, or undefined for 2xx. Retryable: 5xx, 429, 408,
 * S3's transient codes, and 403 "Request has expired" (the caller re-signs). Not retryable:
 * anything a retry cannot fix (BadDigest, SignatureDoesNotMatch, policy and size refusals).
 */
export function storageError(response: TransportResponse): UploadError | undefined {
  const { status } = response;
  if (status >= 200 && status < 300) return undefined;
  const { code, message } = readErrorDocument(response.body) ?? {};
  const expired = status === 403 && /expired/i.test(message ?? "");
  const retryable =
    expired ||
    status >= 500 ||
    status === 429 ||
    status === 408 ||
    (code !== undefined && TRANSIENT_CODES.has(code));
  const retryAfterMs = parseRetryAfter(response.header("retry-after"));
  return new UploadError(
    code && CHECKSUM_CODES.has(code) ? "CHECKSUM" : "STORAGE",
    plainMessage(status, code, message),
    {
      retryable,
      status,
      ...(code === undefined ? {} : { serverCode: code }),
      ...(message === undefined ? {} : { serverMessage: message }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
  );
}

/** A 2xx part response whose ETag the browser hid: CORS on the bucket lacks ExposeHeader ETag. */
export function missingEtagError(): UploadError {
  return new UploadError(
    "STORAGE",
    "storage accepted the part but its ETag header is not readable: the storage's CORS must expose ETag (ExposeHeader: ETag)",
    { serverCode: "ETagNotExposed" },
  );
}
