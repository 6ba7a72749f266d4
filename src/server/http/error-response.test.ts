import { describe, expect, it } from "vitest";
import { UpgateError } from "../../core/errors.js";
import type { GatewayLog } from "../observe/log.js";
import { createScrubber } from "../observe/scrub.js";
import { errorResponse } from "./error-response.js";
import { toResponse } from "./respond.js";

function recordingLog() {
  const errors: Array<{ message: string; error: unknown }> = [];
  const log: GatewayLog = {
    request() {},
    info() {},
    warn() {},
    error(message, error) {
      errors.push({ message, error });
    },
  };
  return { log, errors };
}

const scrub = createScrubber(["super-secret-value"]);

describe("errorResponse", () => {
  it("answers an UpgateError with its table status and the wire form", async () => {
    const { log, errors } = recordingLog();
    const res = errorResponse(
      new UpgateError("POLICY_TOO_LARGE", "too big", { details: { size: 9 } }),
      log,
      scrub,
    );
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await toResponse(res).json()).toEqual({
      error: { code: "POLICY_TOO_LARGE", message: "too big", details: { size: 9 } },
    });
    expect(errors).toEqual([]);
  });

  it("answers anything else 500 INTERNAL with a generic message, and logs the cause", async () => {
    const { log, errors } = recordingLog();
    const cause = new TypeError("cannot read properties of undefined (reading 'x') at /srv/app.js");
    const res = errorResponse(cause, log, scrub);
    expect(res.status).toBe(500);
    const body = await toResponse(res).json();
    expect(body).toEqual({
      error: { code: "INTERNAL", message: "Internal error; the cause has been logged." },
    });
    expect(JSON.stringify(body)).not.toContain("/srv/app.js");
    expect(errors).toEqual([{ message: "unexpected error", error: cause }]);
  });

  it("sets Retry-After on 429s from the details, and a default when there is none", () => {
    const { log } = recordingLog();
    const limited = errorResponse(
      new UpgateError("RATE_LIMITED", "slow", { details: { retryAfterSeconds: 2.2 } }),
      log,
      scrub,
    );
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(
      errorResponse(new UpgateError("QUOTA_EXCEEDED", "full"), log, scrub).headers.get("retry-after"),
    ).toBe("60");
  });

  it("adds WWW-Authenticate to 401s and Allow to 405s, and logs 5xx UpgateErrors", () => {
    const { log, errors } = recordingLog();
    expect(
      errorResponse(new UpgateError("AUTH_REQUIRED", "who?"), log, scrub).headers.get("www-authenticate"),
    ).toBe("Bearer");
    const res = errorResponse(
      new UpgateError("METHOD_NOT_ALLOWED", "no", { details: { allow: ["GET", "POST"] } }),
      log,
      scrub,
    );
    expect(res.headers.get("allow")).toBe("GET, POST");
    errorResponse(
      new UpgateError("STORAGE_UNAVAILABLE", "down", { cause: new Error("ECONNREFUSED") }),
      log,
      scrub,
    );
    expect(errors.map((e) => e.message)).toEqual(["STORAGE_UNAVAILABLE: down"]);
  });

  it("scrubs secrets out of messages and details", async () => {
    const { log } = recordingLog();
    const err = new UpgateError("VALIDATION_FAILED", "bad super-secret-value", {
      details: { url: "https://s3.test/k?X-Amz-Signature=abcdef0123", authorization: "Bearer xyz" },
    });
    const text = await toResponse(errorResponse(err, log, scrub)).text();
    expect(text).not.toContain("super-secret-value");
    expect(text).not.toContain("abcdef0123");
    expect(text).not.toContain("xyz");
  });
});
