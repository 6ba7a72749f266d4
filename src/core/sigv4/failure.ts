import { S3_ERRORS, type S3ErrorCode } from "../s3-error-codes.js";
import { toBytes } from "./crypto.js";

/** An authentication failure in S3's own terms: the code, status, message and extra XML elements. */
export interface SigV4Failure {
  code: S3ErrorCode;
  status: number;
  message: string;
  /** Extra elements of S3's error body, in order (StringToSign, HeadersNotSigned, ServerTime, ...). */
  details: Array<[string, string]>;
}

/** A failure with S3's status for `code` (from S3_ERRORS). */
export function failure(
  code: S3ErrorCode,
  message: string,
  details: Array<[string, string]> = [],
): SigV4Failure {
  return { code, status: S3_ERRORS[code][0], message, details };
}

const spacedHex = (text: string): string =>
  Array.from(toBytes(text), (b) => b.toString(16).padStart(2, "0")).join(" ");

export function signatureMismatch(
  accessKeyId: string,
  stringToSign: string,
  signatureProvided: string,
  canonicalRequest: string,
): SigV4Failure {
  return failure(
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    [
      ["AWSAccessKeyId", accessKeyId],
      ["StringToSign", stringToSign],
      ["SignatureProvided", signatureProvided],
      ["StringToSignBytes", spacedHex(stringToSign)],
      ["CanonicalRequest", canonicalRequest],
      ["CanonicalRequestBytes", spacedHex(canonicalRequest)],
    ],
  );
}

export const queryParamsError = (message: string, details: Array<[string, string]> = []): SigV4Failure =>
  failure("AuthorizationQueryParametersError", message, details);

export const headerMalformed = (message: string, details: Array<[string, string]> = []): SigV4Failure =>
  failure("AuthorizationHeaderMalformed", `The authorization header is malformed; ${message}`, details);

export const invalidAccessKeyId = (accessKeyId: string): SigV4Failure =>
  failure("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", [
    ["AWSAccessKeyId", accessKeyId],
  ]);

export const headersNotSigned = (names: string[]): SigV4Failure =>
  failure("AccessDenied", "There were headers present in the request which were not signed", [
    ["HeadersNotSigned", names.join(", ")],
  ]);

export const accessDenied = (
  message = "Access Denied",
  details: Array<[string, string]> = [],
): SigV4Failure => failure("AccessDenied", message, details);

/** A temporary key's session token: missing, another, or past its expiry, in S3's words. */
export function sessionTokenProblem(
  accessKeyId: string,
  secret: { sessionToken?: string; expiration?: Date },
  token: string | undefined,
  now: Date,
): SigV4Failure | undefined {
  if (secret.sessionToken === undefined) return undefined;
  // S3 does not know a temporary key without its token.
  if (token === undefined || token === "") return invalidAccessKeyId(accessKeyId);
  if (token !== secret.sessionToken) {
    return failure("InvalidToken", "The provided token is malformed or otherwise invalid.");
  }
  if (secret.expiration !== undefined && now.getTime() >= secret.expiration.getTime()) {
    return failure("ExpiredToken", "The provided token has expired.", [["Token-0", token]]);
  }
  return undefined;
}
