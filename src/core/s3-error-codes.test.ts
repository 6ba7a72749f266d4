import { describe, expect, it } from "vitest";
import { S3_ERRORS, type S3ErrorCode } from "./s3-error-codes.js";
import { failure, signatureMismatch } from "./sigv4/failure.js";

describe("S3_ERRORS", () => {
  it("gives every code an HTTP error status and AWS's message", () => {
    for (const [code, [status, message]] of Object.entries(S3_ERRORS)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      expect(message, code).not.toBe("");
    }
  });

  it("is where a SigV4 failure takes its status from", () => {
    const cases: Array<[S3ErrorCode, number]> = [
      ["SignatureDoesNotMatch", 403],
      ["RequestTimeTooSkewed", 403],
      ["InvalidAccessKeyId", 403],
      ["AuthorizationHeaderMalformed", 400],
      ["ExpiredToken", 400],
      ["BadDigest", 400],
      ["IncompleteBody", 400],
    ];
    for (const [code, status] of cases) expect(failure(code, "m").status, code).toBe(status);
    expect(signatureMismatch("AKID", "sts", "sig", "creq")).toMatchObject({
      code: "SignatureDoesNotMatch",
      status: 403,
      message: S3_ERRORS.SignatureDoesNotMatch[1],
    });
  });
});
