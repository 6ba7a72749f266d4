import { describe, expect, it, vi } from "vitest";
import { UpgateError } from "../errors.js";
import { base32, randomId } from "./random.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("base32", () => {
  // RFC 4648 section 10, lower-cased and without padding.
  it.each([
    ["", ""],
    ["f", "my"],
    ["fo", "mzxq"],
    ["foo", "mzxw6"],
    ["foob", "mzxw6yq"],
    ["fooba", "mzxw6ytb"],
    ["foobar", "mzxw6ytboi"],
  ])("encodes %j as %j (RFC 4648 test vectors)", (input, output) => {
    expect(base32(bytes(input))).toBe(output);
  });

  it("encodes 16 bytes in 26 characters", () => {
    expect(base32(new Uint8Array(16).fill(255))).toBe(`${"7".repeat(25)}4`);
    expect(base32(new Uint8Array(16))).toBe("a".repeat(26));
  });
});

describe("randomId", () => {
  it("gives 26 lower-case base32 characters for the default 128 bits", () => {
    for (let i = 0; i < 100; i++) expect(randomId()).toMatch(/^[a-z2-7]{26}$/);
  });

  it("gives ceil(bits / 5) characters", () => {
    expect(randomId(1)).toMatch(/^[a-z2-7]$/);
    expect(randomId(130)).toHaveLength(26);
    expect(randomId(131)).toHaveLength(27);
    expect(randomId(256)).toHaveLength(52);
  });

  it("does not repeat in 10,000 draws, and uses every character", () => {
    const seen = new Set<string>();
    const chars = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = randomId();
      seen.add(id);
      for (const c of id) chars.add(c);
    }
    expect(seen.size).toBe(10_000);
    expect(chars.size).toBe(32);
  });

  it("puts random bits in the last character too (only its top 3 bits, as RFC 4648 pads)", () => {
    const last = new Set<string>();
    for (let i = 0; i < 2000; i++) last.add(randomId().at(-1)!);
    expect([...last].sort()).toEqual(["4", "a", "e", "i", "m", "q", "u", "y"]);
  });

  it("draws its bytes a pool at a time, handing each byte out once", () => {
    const draw = vi.spyOn(globalThis.crypto, "getRandomValues");
    try {
      const ids = Array.from({ length: 1000 }, () => randomId());
      // 16 bytes each from 4096-byte pools: 4 or 5 calls (a pool may be part-used already), not 1000.
      expect(draw.mock.calls.length).toBeLessThanOrEqual(5);
      expect(new Set(ids).size).toBe(1000);
      // The largest id still fits in one pool.
      expect(randomId(4096)).toMatch(/^[a-z2-7]{820}$/);
    } finally {
      draw.mockRestore();
    }
  });

  it.each([0, -1, 1.5, 5000, Number.NaN])("refuses %s bits", (bits) => {
    expect(() => randomId(bits)).toThrow(UpgateError);
  });
});
