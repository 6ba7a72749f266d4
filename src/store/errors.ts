import { S3_ERRORS, type S3ErrorCode } from "../core/s3-error-codes.js";
import type { SigV4Failure } from "../core/sigv4/failure.js";

/** An S3 error response: AWS's code, status and message, plus the extra elements AWS includes. */
export class S3Error extends Error {
  override readonly name = "S3Error";
  readonly code: S3ErrorCode;
  readonly status: number;
  readonly details: Array<[string, string]>;

  constructor(code: S3ErrorCode, message?: string, details: Array<[string, string]> = []) {
    super(message ?? S3_ERRORS[code][1]);
    this.code = code;
    this.status = S3_ERRORS[code][0];
    this.details = details;
  }

  /** Wraps a verifier failure (SignatureDoesNotMatch, AccessDenied, ...): same code, status and message. */
  static fromFailure(failure: SigV4Failure): S3Error {
    return new S3Error(failure.code, failure.message, failure.details);
  }
}
