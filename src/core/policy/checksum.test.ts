import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isBase64Sha256, sha256Problem } from "./checksum.js";

const digest = (text: string) => createHash("sha256").update(text).digest();

describe("isBase64Sha256", () => {
  it("accepts the base64 of any 32 bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        expect(isBase64Sha256(Buffer.from(bytes).toString("base64"))).toBe(true);
      }),
    );
  });

  it.each([
    ["hex", digest("x").toString("hex")],
    ["base64url", `${"_".repeat(43)}=`],
    ["unpadded", digest("x").toString("base64").slice(0, 43)],
    ["31 bytes", Buffer.alloc(31).toString("base64")],
    ["33 bytes", Buffer.alloc(33).toString("base64")],
    ["non-canonical padding bits", `${"A".repeat(42)}B=`],
    ["a space", ` ${digest("x").toString("base64").slice(1)}`],
    ["empty", ""],
  ])("refuses %s", (_what, value) => {
    expect(isBase64Sha256(value)).toBe(false);
  });

  it("refuses non-strings", () => {
    expect(isBase64Sha256(undefined)).toBe(false);
    expect(isBase64Sha256(digest("x"))).toBe(false);
  });
});

describe("sha256Problem", () => {
  it("explains hex, which is the usual mistake", () => {
    expect(sha256Problem(digest("x").toString("hex"))).toContain("not hex");
    expect(sha256Problem("nope")).toContain("base64 SHA-256");
    expect(sha256Problem(digest("x").toString("base64"))).toBeUndefined();
  });
});
