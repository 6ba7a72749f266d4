import { describe, expect, it } from "vitest";
import type { TransportResponse } from "../transport/types.js";
import { missingEtagError, storageError } from "./classify.js";

const xml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>1</RequestId></Error>`;
const response = (status: number, body = "", headers: Record<string, string> = {}): TransportResponse => ({
  status,
  body,
  header: (name) => headers[name.toLowerCase()] ?? null,
});

describe("storageError", () => {
  it("is undefined for 2xx", () => {
    expect(storageError(response(200))).toBeUndefined();
    expect(storageError(response(204))).toBeUndefined();
  });

  it.each([
    [503, "SlowDown", "Please reduce your request rate.", "STORAGE", true],
    [500, "InternalError", "We encountered an internal error.", "STORAGE", true],
    [429, "TooManyRequests", "slow", "STORAGE", true],
    [408, "RequestTimeout", "timeout", "STORAGE", true],
    [400, "RequestTimeout", "Your socket connection to the server was not read from", "STORAGE", true],
    [400, "IncompleteBody", "You did not provide the number of bytes", "STORAGE", true],
    [403, "AccessDenied", "Request has expired", "STORAGE", true],
    [403, "SignatureDoesNotMatch", "The request signature we calculated does not match", "STORAGE", false],
    [403, "AccessDenied", "Access Denied", "STORAGE", false],
    [400, "BadDigest", "The SHA256 you specified did not match the calculated checksum.", "CHECKSUM", false],
    [400, "XAmzContentSHA256Mismatch", "mismatch", "CHECKSUM", false],
    [400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", "STORAGE", false],
    [404, "NoSuchUpload", "The specified upload does not exist.", "STORAGE", false],
    [
      412,
      "PreconditionFailed",
      "At least one of the pre-conditions you specified did not hold",
      "STORAGE",
      false,
    ],
  ])("HTTP %i %s is %s, retryable %s", (status, code, message, kind, retry) => {
    const err = storageError(response(status, xml(code, message)))!;
    expect(err).toMatchObject({
      code: kind,
      retryable: retry,
      status,
      serverCode: code,
      serverMessage: message,
    });
  });

  it("says it plainly", () => {
    expect(storageError(response(400, xml("BadDigest", "x")))!.message).toBe(
      "the file changed while uploading",
    );
    expect(storageError(response(403, xml("AccessDenied", "Request has expired")))!.message).toBe(
      "the upload link expired",
    );
    expect(storageError(response(502, "<html>bad gateway</html>"))!).toMatchObject({
      message: "storage is unavailable (HTTP 502)",
      retryable: true,
      serverCode: undefined,
    });
  });

  it("carries Retry-After", () => {
    const err = storageError(response(503, xml("SlowDown", "slow"), { "retry-after": "7" }))!;
    expect(err.retryAfterMs).toBe(7000);
  });

  it("explains a hidden ETag as a CORS setting", () => {
    expect(missingEtagError().message).toContain("the storage's CORS must expose ETag");
    expect(missingEtagError().retryable).toBe(false);
  });
});

describe("the storage's error document", () => {
  it("gives the server code and message, entities decoded", () => {
    const error = storageError(response(400, xml("InvalidArgument", "a &lt;b&gt; &amp; &quot;c&quot;")));
    expect(error?.serverCode).toBe("InvalidArgument");
    expect(error?.serverMessage).toBe('a <b> & "c"');
  });

  it("gives neither for a body that is not an S3 error document", () => {
    const error = storageError(response(502, "<html><body>Bad Gateway</body></html>"));
    expect(error?.serverCode).toBeUndefined();
    expect(error?.serverMessage).toBeUndefined();
    expect(error?.message).toBe("storage is unavailable (HTTP 502)");
  });
});
