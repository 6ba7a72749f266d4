import { describe, expect, it } from "vitest";
import { createScrubber, PATTERN_TRIGGER, PATTERNS } from "./scrub.js";

const scrub = createScrubber(["storage/secret+key", "jwt-secret-0123456789", "abc"]);

describe("createScrubber", () => {
  it("replaces configured secrets, raw or URL-encoded, anywhere in a string", () => {
    expect(scrub.text("key=storage/secret+key; enc=storage%2Fsecret%2Bkey")).toBe(
      "key=[redacted]; enc=[redacted]",
    );
    expect(scrub.text("jwt-secret-0123456789!")).toBe("[redacted]!");
    // Too short to be a secret worth matching: left alone rather than redacting every "abc".
    expect(scrub.text("abc")).toBe("abc");
  });

  it("replaces secrets that change (refreshed storage credentials) as soon as they are known", () => {
    let current: readonly string[] = ["first-session-secret"];
    const changing = createScrubber(["fixed-secret"], () => current);
    expect(changing.text("first-session-secret fixed-secret")).toBe("[redacted] [redacted]");
    current = ["second-session-secret", "first-session-secret"];
    expect(changing.text("second-session-secret")).toBe("[redacted]");
    expect(changing({ error: "failed with second-session-secret" })).toEqual({
      error: "failed with [redacted]",
    });
  });

  it("removes signatures, credentials, bearer tokens and JWTs", () => {
    const url =
      "https://s3.test/b/k?X-Amz-Credential=AKID%2F2025&X-Amz-Signature=0123abcd&X-Amz-Security-Token=tok";
    expect(scrub.text(url)).toBe(
      "https://s3.test/b/k?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&X-Amz-Security-Token=[redacted]",
    );
    const hex = "a".repeat(64);
    expect(scrub.text(`AWS4-HMAC-SHA256 Credential=x, SignedHeaders=host, Signature=${hex}`)).not.toContain(
      hex,
    );
    expect(scrub.text(`{"x-amz-signature":"${hex}"}`)).not.toContain(hex);
    expect(scrub.text("Authorization: Bearer abc.def-123")).toBe("Authorization: Bearer [redacted]");
    expect(scrub.text("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln here")).toBe("token [redacted] here");
    const capability = `upc_${"a2".repeat(16)}`;
    expect(scrub.text(`/v1/files/x?token=upd_${"b3".repeat(16)} and ${capability}`)).toBe(
      "/v1/files/x?token=[redacted] and [redacted]",
    );
  });

  it("walks objects, arrays and errors, redacting secret-named keys whole", () => {
    const err = new Error("failed with storage/secret+key", { cause: new Error("Bearer zzz") });
    const out = scrub({
      headers: { authorization: "Bearer x", cookie: "s=1", "x-api-key": "k" },
      credentials: { accessKeyId: "AKID", secretAccessKey: "s" },
      list: ["jwt-secret-0123456789"],
      err,
      count: 3,
      userId: "alice",
    });
    expect(out).toMatchObject({
      headers: { authorization: "[redacted]", cookie: "[redacted]", "x-api-key": "[redacted]" },
      credentials: "[redacted]",
      list: ["[redacted]"],
      err: { type: "Error", message: "failed with [redacted]", cause: { message: "Bearer [redacted]" } },
      count: 3,
      userId: "alice",
    });
  });

  it("skips the pattern replacements only for strings no pattern can match", () => {
    const samples = [
      "https://s3.test/k?x-amz-signature=ab&X-AMZ-CREDENTIAL=c&x-Amz-Security-Token=t",
      `SIGNATURE=${"f".repeat(64)}`,
      `{"X-Amz-Signature" : "${"0".repeat(64)}"}`,
      "bearer abc",
      "BASIC dXNlcjpwYXNz",
      "Authorization: Bearer\tx.y.z",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln",
      "x eyJ.a. y",
      `UPC_${"z".repeat(32)}`,
    ];
    for (const [pattern] of PATTERNS) {
      for (const sample of samples) {
        pattern.lastIndex = 0;
        if (pattern.test(sample)) expect(PATTERN_TRIGGER.test(sample), `${pattern} on ${sample}`).toBe(true);
      }
    }
    // Every sample is caught by some pattern, so the loop above checked each pattern at least once.
    for (const sample of samples) expect(scrub.text(sample)).toContain("[redacted]");
    const plain = "/v1/uploads/abc123 user-42 127.0.0.1 image/png";
    expect(scrub.text(plain)).toBe(plain);
  });
});
