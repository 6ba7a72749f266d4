import fc from "fast-check";
import { canonicalHeaderValue } from "../../../src/core/sigv4/canonical.js";
import type { SigV4Failure } from "../../../src/core/sigv4/failure.js";
import type { VerifiedAuth } from "../../../src/core/sigv4/verify.js";
import { check, checkEqual, clip, violation } from "../harness/target.js";
import { nastyArb, rawTextArb } from "./mutate.js";

/** Every S3 error a SigV4 verification may answer with, and its status. */
export const SIGV4_FAILURES: Readonly<Record<string, number>> = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidRequest: 400,
  InvalidToken: 400,
  InvalidURI: 400,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
};

/** A refusal must be one of S3's codes, with its status, a message and string details. */
export function checkFailure(
  error: SigV4Failure,
  what: string,
  codes: Readonly<Record<string, number>> = SIGV4_FAILURES,
): void {
  const status = Object.hasOwn(codes, error.code) ? codes[error.code] : undefined;
  check(status !== undefined, () => `${what} answered an unknown code ${clip(error.code)}`);
  check(error.status === status, () => `${what}: ${error.code} with status ${error.status}, not ${status}`);
  check(
    typeof error.message === "string" && error.message !== "",
    `${what}: ${error.code} without a message`,
  );
  check(
    Array.isArray(error.details) &&
      error.details.every((d) => Array.isArray(d) && typeof d[0] === "string" && typeof d[1] === "string"),
    `${what}: ${error.code} details are not [string, string] pairs`,
  );
}

/**
 * A verification that passed after the request was changed must have verified the same request:
 * the same key, date, signature, signed headers (canonical values), payload hash and query.
 * Otherwise the verifier signed one reading of the request and handed the caller another.
 */
export function checkSameMeaning(got: VerifiedAuth, original: VerifiedAuth, what: string): void {
  checkEqual(got.accessKeyId, original.accessKeyId, `${what}: access key after a change that verified`);
  checkEqual(got.amzDate, original.amzDate, `${what}: date after a change that verified`);
  checkEqual(got.signature, original.signature, `${what}: signature after a change that verified`);
  checkEqual(
    got.signedHeaders,
    original.signedHeaders,
    `${what}: signed headers after a change that verified`,
  );
  checkEqual(got.payloadHash, original.payloadHash, `${what}: payload hash after a change that verified`);
  checkEqual(got.expiresAt?.getTime(), original.expiresAt?.getTime(), `${what}: expiry after a change`);
  const sorted = (q: Array<[string, string]>) => [...q].sort((a, b) => (a.join("=") < b.join("=") ? -1 : 1));
  checkEqual(sorted(got.query), sorted(original.query), `${what}: query after a change that verified`);
  for (const name of original.signedHeaders) {
    const a = canonicalHeaderValue(got.headers.get(name) ?? "");
    const b = canonicalHeaderValue(original.headers.get(name) ?? "");
    if (a !== b) violation(`${what}: signed header ${name} is ${clip(a)} but ${clip(b)} was signed`);
  }
}

/** Raw Authorization values: garbage, or the right prefix with random or half-right components. */
export const rawAuthorizationArb: fc.Arbitrary<string> = fc.oneof(
  rawTextArb(200),
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom("Credential", "SignedHeaders", "Signature", "credential", " Credential", ""),
          nastyArb,
        ),
        fc.oneof(
          fc.constantFrom(
            "AKIDEXAMPLE/20240506/us-east-1/s3/aws4_request",
            "AKIDEXAMPLE/2024050/us-east-1/s3/aws4_request",
            "AKIDEXAMPLE/20240506/us-east-1/s3/aws4_request/extra",
            "AKIDEXAMPLE//us-east-1/s3/aws4_request",
            "host;x-amz-content-sha256;x-amz-date",
            "host;;x-amz-date",
            "0".repeat(64),
          ),
          rawTextArb(40),
        ),
        fc.constantFrom("=", "==", "", " = "),
      ),
      { maxLength: 5 },
    )
    .chain((parts) =>
      fc
        .constantFrom("AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256 ", "aws4-hmac-sha256 ")
        .chain((prefix) =>
          fc
            .constantFrom(",", ", ", " ,", ",,")
            .map((sep) => prefix + parts.map(([k, v, eq]) => `${k}${eq}${v}`).join(sep)),
        ),
    ),
);
