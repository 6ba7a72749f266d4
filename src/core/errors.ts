/**
 * Every error code upgate's own API can return, with its HTTP status and what it means.
 * docs/errors.md lists the same table; a test fails when the two drift apart.
 */
export const ERROR_CODES = {
  INTERNAL: { status: 500, description: "An unexpected error; the cause is logged, never returned." },
  SIGN_INVALID_INPUT: {
    status: 400,
    description: "A signing call got input it cannot sign safely (bad expiry, header name or value, key).",
  },
  CONFIG_INVALID: {
    status: 500,
    description: "The server's configuration is invalid; the message says which setting.",
  },
  VALIDATION_FAILED: {
    status: 400,
    description: "The request body or a parameter is malformed; details say which field.",
  },
  AUTH_REQUIRED: {
    status: 401,
    description: "No credentials, or no anonymous upload's capability, were sent where they are needed.",
  },
  AUTH_INVALID: {
    status: 401,
    description: "The token, API key or download token is invalid, expired or for another audience.",
  },
  AUTH_UNAVAILABLE: {
    status: 503,
    description: "The identity provider's signing keys (JWKS) could not be fetched; try again later.",
  },
  FORBIDDEN: { status: 403, description: "The caller is authenticated but may not do this." },
  ROUTE_NOT_FOUND: { status: 404, description: "No upload route has this name." },
  UPLOAD_NOT_FOUND: { status: 404, description: "No upload with this id belongs to the caller." },
  NOT_FOUND: { status: 404, description: "No such endpoint or file." },
  METHOD_NOT_ALLOWED: { status: 405, description: "The endpoint exists but not with this HTTP method." },
  UPLOAD_STATE_CONFLICT: {
    status: 409,
    description: "The upload is in a state that does not allow this (for example, aborted or expired).",
  },
  UPLOAD_CHANGED: {
    status: 409,
    description: "The stored object changed after (or while) it was verified; it is not served.",
  },
  UPLOAD_NOT_UPLOADED: {
    status: 409,
    description: "Complete was called but storage has no object, or parts are missing.",
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    description: "The Idempotency-Key was already used by this user for a different create request.",
  },
  PAYLOAD_TOO_LARGE: { status: 413, description: "The request body sent to the gateway is too big." },
  POLICY_TYPE_NOT_ALLOWED: {
    status: 400,
    description: "A declared content type is not allowed by the route.",
  },
  POLICY_TOO_LARGE: {
    status: 413,
    description: "A declared size is over the route's limit (or over what the upload strategy can carry).",
  },
  POLICY_TOO_SMALL: { status: 400, description: "A declared size is under the route's minimum." },
  POLICY_TOO_MANY_FILES: {
    status: 400,
    description: "The request declares more files than the route allows.",
  },
  POLICY_CHECKSUM_REQUIRED: {
    status: 400,
    description:
      "A checksum the route or storage needs is missing: a file declared none where the route requires one, or /parts was asked for a sha256 upload's part URL without that part's sha256 (details.missing).",
  },
  HOOK_REJECTED: { status: 403, description: "The application's onBeforeUpload hook rejected the upload." },
  QUOTA_EXCEEDED: {
    status: 429,
    description: "The upload would take the caller past their quota, or the route past its routeQuota.",
  },
  RATE_LIMITED: {
    status: 429,
    description: "Too many create or complete requests; retry after the Retry-After delay.",
  },
  VERIFY_SIZE_MISMATCH: {
    status: 422,
    description: "The stored object's size differs from the declared size.",
  },
  VERIFY_TYPE_MISMATCH: {
    status: 422,
    description: "The stored object's content type differs from the declared type.",
  },
  VERIFY_CHECKSUM_MISMATCH: {
    status: 422,
    description: "The stored object's SHA-256 differs from the declared checksum.",
  },
  VERIFY_CONTENT_MISMATCH: {
    status: 422,
    description: "The object's magic bytes do not match its declared type.",
  },
  VERIFY_METADATA_MISMATCH: {
    status: 422,
    description:
      "The stored object's user metadata is not exactly what was signed: an upgate value differs, or an x-amz-meta-* name was added.",
  },
  VERIFY_HEADER_MISMATCH: {
    status: 422,
    description: "The stored object has a header the gateway did not plan, such as Content-Encoding.",
  },
  LEDGER_UNAVAILABLE: {
    status: 503,
    description: "The ledger database could not be reached or dropped the connection; try again later.",
  },
  STORAGE_UNAVAILABLE: { status: 503, description: "The storage could not be reached; try again later." },
  STORAGE_ERROR: { status: 502, description: "The storage answered with an unexpected error." },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export class UpgateError extends Error {
  override readonly name = "UpgateError";
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = options.details;
  }

  toJSON(): ErrorBody {
    const error: ErrorBody["error"] = { code: this.code, message: this.message };
    if (this.details) error.details = this.details;
    return { error };
  }
}
