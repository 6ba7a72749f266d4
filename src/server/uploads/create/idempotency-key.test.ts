import { describe, expect, it } from "vitest";
import { createRequestHash, parseIdempotencyKey } from "./idempotency-key.js";

const file = { name: "a.png", type: "image/png", size: 10 };

describe("Idempotency-Key", () => {
  it("is read as sent, and absent is undefined", () => {
    expect(parseIdempotencyKey(new Headers())).toBeUndefined();
    expect(parseIdempotencyKey(new Headers({ "idempotency-key": '"quoted key" 1' }))).toBe('"quoted key" 1');
  });

  it.each(["", "x".repeat(256), "caf\u00e9"])("refuses %j with VALIDATION_FAILED", (value) => {
    expect(() => parseIdempotencyKey(new Headers({ "idempotency-key": value }))).toThrow(
      expect.objectContaining({ code: "VALIDATION_FAILED" }),
    );
  });

  it("hashes the same request the same in any key order, and any difference differently", () => {
    const hash = createRequestHash("images", [file]);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(createRequestHash("images", [{ size: 10, type: "image/png", name: "a.png" }])).toBe(hash);
    expect(createRequestHash("docs", [file])).not.toBe(hash);
    expect(createRequestHash("images", [{ ...file, size: 11 }])).not.toBe(hash);
    expect(createRequestHash("images", [file, file])).not.toBe(hash);
    expect(createRequestHash("images", [{ ...file, metadata: { a: "1" } }])).not.toBe(
      createRequestHash("images", [{ ...file, metadata: { a: "2" } }]),
    );
  });
});
