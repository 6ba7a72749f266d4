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
