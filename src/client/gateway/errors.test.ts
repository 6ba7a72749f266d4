import { describe, expect, it } from "vitest";
import { gatewayError } from "./errors.js";

const body = (code: string, message: string, details?: unknown) =>
  JSON.stringify({ error: { code, message, details } });

describe("gatewayError", () => {
  it("carries the server's code, message and details", () => {
    const err = gatewayError(
      413,
      body("POLICY_TOO_LARGE", "a.png is too large: 12 MB, limit 10 MB", { size: 1 }),
      null,
    );
    expect(err).toMatchObject({
      code: "GATEWAY",
      status: 413,
      serverCode: "POLICY_TOO_LARGE",
      serverMessage: "a.png is too large: 12 MB, limit 10 MB",
      details: { size: 1 },
      retryable: false,
      message: "a.png is too large: 12 MB, limit 10 MB",
    });
  });

  it("retries 5xx and rate limits, but not quota", () => {
    expect(gatewayError(503, body("STORAGE_UNAVAILABLE", "x"), null).retryable).toBe(true);
    expect(gatewayError(500, body("INTERNAL", "x"), null).retryable).toBe(true);
    const limited = gatewayError(429, body("RATE_LIMITED", "x"), "12");
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 12_000 });
    expect(gatewayError(429, body("QUOTA_EXCEEDED", "over quota"), null).retryable).toBe(false);
    expect(gatewayError(401, body("AUTH_REQUIRED", "x"), null).retryable).toBe(false);
  });

  it("maps a checksum verification failure to CHECKSUM", () => {
    expect(gatewayError(422, body("VERIFY_CHECKSUM_MISMATCH", "x"), null).code).toBe("CHECKSUM");
    expect(gatewayError(422, body("VERIFY_CONTENT_MISMATCH", "x"), null).code).toBe("GATEWAY");
  });

  it("copes with a body that is not the gateway's JSON", () => {
    expect(gatewayError(502, "<html>Bad Gateway</html>", null)).toMatchObject({
      code: "GATEWAY",
      retryable: true,
      serverCode: undefined,
      message: "the upload server answered HTTP 502",
    });
  });
});
