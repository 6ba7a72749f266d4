import { describe, expect, it } from "vitest";
import { describeError } from "./describe.js";
import { UploadError } from "./errors.js";
import { gatewayError } from "./gateway/errors.js";
import { storageError } from "./storage/classify.js";

const gw = (status: number, code: string, message: string, details?: unknown) =>
  gatewayError(status, JSON.stringify({ error: { code, message, details } }), null);

describe("describeError", () => {
  it("uses the gateway's own words for policy refusals", () => {
    expect(
      describeError(
        gw(
          400,
          "POLICY_TYPE_NOT_ALLOWED",
          "photo.heic is HEIC, not an allowed type for Images (allowed: PNG, JPEG, WebP, GIF)",
        ),
      ),
    ).toBe("photo.heic is HEIC, not an allowed type for Images (allowed: PNG, JPEG, WebP, GIF)");
    expect(describeError(gw(413, "POLICY_TOO_LARGE", "big.png is too large: 12 MB, limit 10 MB"))).toBe(
      "big.png is too large: 12 MB, limit 10 MB",
    );
  });

  it("lists every file's problem when the gateway refused several", () => {
    const problems = [
      { index: 0, name: "a.heic", code: "POLICY_TYPE_NOT_ALLOWED", message: "a.heic is not an allowed type" },
      {
        index: 1,
        name: "b.png",
        code: "POLICY_TOO_LARGE",
        message: "b.png is too large: 12 MB, limit 10 MB",
      },
    ];
    expect(describeError(gw(413, "POLICY_TOO_LARGE", "2 problems: ...", { problems }))).toBe(
      "a.heic is not an allowed type; b.png is too large: 12 MB, limit 10 MB",
    );
  });

  it("words the network, retries and giving up", () => {
    const lost = new UploadError("NETWORK", "x", { retryable: true, file: "v.mp4" });
    expect(describeError(lost)).toBe("v.mp4: network connection lost — retrying");
    lost.attempts = 6;
    expect(describeError(lost)).toBe("v.mp4: network connection lost (gave up after 6 tries)");
    const stalled = new UploadError("TIMEOUT", "the connection stalled: no progress for 60 s", {
      retryable: true,
    });
    expect(describeError(stalled)).toBe("the connection stalled: no progress for 60 s — retrying");
  });

  it("words checksum, storage, cancel and auth failures", () => {
    const changed = storageError({
      status: 400,
      body: "<Error><Code>BadDigest</Code></Error>",
      header: () => null,
    })!;
    changed.file = "doc.pdf";
    expect(describeError(changed)).toBe("doc.pdf: the file changed while uploading");
    expect(describeError(new UploadError("ABORTED", "x", { file: "a" }))).toBe("a: upload cancelled");
    expect(describeError(gw(401, "AUTH_REQUIRED", "Authentication required"))).toBe("sign in to upload");
    const limited = gatewayError(
      429,
      JSON.stringify({ error: { code: "RATE_LIMITED", message: "x" } }),
      "30",
    );
    expect(describeError(limited)).toBe("too many uploads at once — try again in 30 s");
    expect(describeError(gw(422, "VERIFY_CONTENT_MISMATCH", "The upload was rejected: ..."))).toBe(
      "the file's content does not match its type, so it was rejected",
    );
    const sniffed = gw(422, "VERIFY_CONTENT_MISMATCH", "x", { declared: "image/png", detected: "text/html" });
    sniffed.file = "page.png";
    expect(describeError(sniffed)).toBe("page.png: rejected: its content is text/html, not image/png");
    expect(describeError(gw(500, "SOMETHING_NEW", "teapot"))).toBe("teapot");
    expect(describeError(new Error("plain"))).toBe("plain");
    expect(describeError("text")).toBe("text");
  });
});
