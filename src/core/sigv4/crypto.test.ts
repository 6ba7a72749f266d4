import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cryptoBackend, hmacSha256Hex, sha256Hex } from "./crypto.js";

// hmacSha256Hex builds HMAC from two one-shot hashes for short string messages and keys of at most
// one block; these cases pin it to node:crypto's createHmac on every branch and boundary.
const keyOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
const messages = [
  "",
  `AWS4-HMAC-SHA256\n20250601T120000Z\n20250601/us-east-1/s3/aws4_request\n${"ab".repeat(32)}`,
  "é, 😀 and a lone surrogate \ud800 (UTF-8 replacement character, as createHmac does)",
  "x".repeat(5_000),
  "y".repeat(20_000),
];

describe("crypto seam (node)", () => {
  it("runs on node:crypto here", () => {
    expect(cryptoBackend()).toBe("node");
  });

  it.each([0, 1, 31, 32, 63, 64, 65, 100])("hmacSha256Hex matches createHmac with a %i-byte key", (n) => {
    const key = keyOf(n);
    for (const m of messages) {
      expect(hmacSha256Hex(key, m)).toBe(createHmac("sha256", key).update(m).digest("hex"));
    }
  });

  it("hmacSha256Hex matches createHmac for string keys and byte messages", () => {
    expect(hmacSha256Hex("AWS4secret", "20250601")).toBe(
      createHmac("sha256", "AWS4secret").update("20250601").digest("hex"),
    );
    const bytes = new TextEncoder().encode(messages[1]);
    expect(hmacSha256Hex(keyOf(32), bytes)).toBe(createHmac("sha256", keyOf(32)).update(bytes).digest("hex"));
  });

  it("sha256Hex matches createHash for strings and bytes", () => {
    for (const m of messages) {
      expect(sha256Hex(m)).toBe(createHash("sha256").update(m).digest("hex"));
      const bytes = new TextEncoder().encode(m);
      expect(sha256Hex(bytes)).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
  });
});
