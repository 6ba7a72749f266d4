import { toBytes } from "./crypto.js";

/** An authentication failure in S3's own terms: the code, status, message and extra XML elements. */
export interface SigV4Failure {
  code: string;
  status: number;
  message: string;
  /** Extra elements of S3's error body, in order (StringToSign, HeadersNotSigned, ServerTime, ...). */
  details: Array<[string, string]>;
}

export function failure(
  code: string,
  status: number,
  message: string,
  details: Array<[string, string]> = [],
): SigV4Failure {
  return { code, status, message, details };
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
    403,
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
  failure("AuthorizationQueryParametersError", 400, message, details);

export const headerMalformed = (message: string, details: Array<[string, string]> = []): SigV4Failure =>
  failure("AuthorizationHeaderMalformed", 400, `The authorization header is malformed; ${message}`, details);

export const invalidAccessKeyId = (accessKeyId: string): SigV4Failure =>
  failure("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.", [
    ["AWSAccessKeyId", accessKeyId],
  ]);

export const headersNotSigned = (names: string[]): SigV4Failure =>
  failure("AccessDenied", 403, "There were headers present in the request which were not signed", [
    ["HeadersNotSigned", names.join(", ")],
  ]);

export const accessDenied = (
  message = "Access Denied",
  details: Array<[string, string]> = [],
): SigV4Failure => failure("AccessDenied", 403, message, details);

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
    return failure("InvalidToken", 400, "The provided token is malformed or otherwise invalid.");
  }
  if (secret.expiration !== undefined && now.getTime() >= secret.expiration.getTime()) {
    return failure("ExpiredToken", 400, "The provided token has expired.", [["Token-0", token]]);
  }
  return undefined;
}
