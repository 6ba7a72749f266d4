import { describe, expect, it } from "vitest";
import { S3_ERRORS } from "../core/s3-error-codes.js";
import { failure, headerMalformed } from "../core/sigv4/failure.js";
import { S3Error } from "./errors.js";

describe("S3Error", () => {
  it("takes AWS's status and default message from the one code table", () => {
    const err = new S3Error("NoSuchUpload");
    expect(err.status).toBe(404);
    expect(err.message).toBe(S3_ERRORS.NoSuchUpload[1]);
    expect(new S3Error("MalformedXML", "custom").message).toBe("custom");
  });

  it("keeps a SigV4 failure's code, status, message and details", () => {
    const skewed = failure("RequestTimeTooSkewed", "too far", [["ServerTime", "now"]]);
    expect(S3Error.fromFailure(skewed)).toMatchObject({
      code: "RequestTimeTooSkewed",
      status: 403,
      message: "too far",
      details: [["ServerTime", "now"]],
    });
    const malformed = S3Error.fromFailure(headerMalformed("the Credential is mal-formed"));
    expect([malformed.code, malformed.status]).toEqual(["AuthorizationHeaderMalformed", 400]);
  });
});
