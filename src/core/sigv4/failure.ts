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
