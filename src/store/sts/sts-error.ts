import type { SigV4Failure } from "../../core/sigv4/failure.js";

/** An STS error: its code, HTTP status and message, as STS words them (awsQuery protocol). */
export class StsError extends Error {
  override readonly name = "StsError";
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const INVALID_CLIENT_TOKEN = "The security token included in the request is invalid.";

/** A request signature's failure in STS's terms (STS has no InvalidAccessKeyId or InvalidToken). */
export function stsAuthError(failure: SigV4Failure): StsError {
  switch (failure.code) {
    case "InvalidAccessKeyId":
    case "InvalidToken":
      return new StsError("InvalidClientTokenId", 403, INVALID_CLIENT_TOKEN);
    case "ExpiredToken":
      return new StsError("ExpiredToken", 400, "The security token included in the request is expired");
    case "SignatureDoesNotMatch":
      return new StsError(
        "SignatureDoesNotMatch",
        403,
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
      );
    case "AccessDenied":
      return new StsError("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
    default:
      return new StsError("IncompleteSignature", 400, failure.message);
  }
}

/** "1 validation error detected: ..." as STS reports a bad parameter. */
export function validationError(problem: string): StsError {
  return new StsError("ValidationError", 400, `1 validation error detected: ${problem}`);
}
