import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Sha256, sha256Sync } from "./sha256.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const nodeHex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function pseudoRandom(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

describe("Sha256", () => {
  it("matches the FIPS 180-4 examples", () => {
    const enc = new TextEncoder();
    expect(hex(sha256Sync(enc.encode("abc")))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(hex(sha256Sync(new Uint8Array(0)))).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(hex(sha256Sync(enc.encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("matches node:crypto on random input of every length from 0 to 300", () => {
    for (let n = 0; n <= 300; n++) {
      const data = pseudoRandom(n, n * 7919 + 1);
      expect(hex(sha256Sync(data)), `length ${n}`).toBe(nodeHex(data));
    }
  });

  it("matches node:crypto when the input is split at arbitrary points", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), fc.array(fc.nat(), { maxLength: 12 }), (data, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
        const hash = new Sha256();
        let from = 0;
        for (const p of [...points, data.length]) {
          hash.update(data.subarray(from, p));
          from = p;
        }
        expect(hex(hash.digest())).toBe(nodeHex(data));
      }),
      { numRuns: 300 },
    );
  });

  it("matches node:crypto on large inputs fed in random-sized chunks", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1 << 20, max: 3 << 20 }),
        fc.integer({ min: 1, max: 1 << 20 }),
        fc.integer(),
        (length, maxChunk, seed) => {
          const data = pseudoRandom(length, seed);
          const hash = new Sha256();
          let state = seed >>> 0 || 1;
          for (let from = 0; from < length; ) {
            state = (state * 1103515245 + 12345) >>> 0;
            const size = 1 + (state % maxChunk);
            hash.update(data.subarray(from, from + size));
            from += size;
          }
          expect(hex(hash.digest())).toBe(nodeHex(data));
        },
      ),
      { numRuns: 8 },
    );
  });

  it("is reusable after reset and refuses use after digest", () => {
    const hash = new Sha256().update(new Uint8Array([1, 2, 3]));
    hash.digest();
    expect(() => hash.update(new Uint8Array(1))).toThrow(/after digest/);
    expect(() => hash.digest()).toThrow(/twice/);
    const data = pseudoRandom(200, 3);
    expect(hex(hash.reset().update(data).digest())).toBe(nodeHex(data));
  });

  it("hashes a byte view without touching the bytes around it", () => {
    const backing = pseudoRandom(500, 9);
    const view = backing.subarray(37, 437);
    const copy = backing.slice();
    expect(hex(sha256Sync(view))).toBe(nodeHex(view));
    expect(backing).toEqual(copy);
  });
});
