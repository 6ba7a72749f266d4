import { crc32 as zlibCrc32 } from "node:zlib";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { CHECKSUM_ALGORITHMS, crc32, crc32c, createChecksum } from "../../src/core/sigv4/checksums.js";
import { forceWebCrypto } from "../../src/core/sigv4/crypto.js";
import { SEED } from "../support/sigv4-arbitraries.js";
import { checksumOf, referenceCrc32c } from "./chunked-fixture.js";

const RUNS = { seed: SEED, numRuns: 200 };
const data = fc.uint8Array({ maxLength: 2000 });

describe("CRC32 and CRC32C", () => {
  it("match the published check values", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(crc32c("123456789")).toBe(0xe3069283);
    expect(referenceCrc32c(new TextEncoder().encode("123456789"))).toBe(0xe3069283);
    expect(crc32("")).toBe(0);
    expect(crc32c("")).toBe(0);
  });

  it("match node:zlib crc32 and a bitwise CRC32C on random data", () => {
    fc.assert(
      fc.property(data, (bytes) => {
        expect(crc32(bytes)).toBe(zlibCrc32(bytes));
        expect(crc32c(bytes)).toBe(referenceCrc32c(bytes));
      }),
      RUNS,
    );
  });

  it("continue from a previous value, so data can be fed in pieces", () => {
    fc.assert(
      fc.property(data, fc.nat(), (bytes, at) => {
        const cut = at % (bytes.length + 1);
        const [a, b] = [bytes.subarray(0, cut), bytes.subarray(cut)];
        expect(crc32(b, crc32(a))).toBe(crc32(bytes));
        expect(crc32c(b, crc32c(a))).toBe(crc32c(bytes));
      }),
      RUNS,
    );
  });
});

describe("createChecksum", () => {
  afterEach(() => forceWebCrypto(false));

  for (const webCrypto of [false, true]) {
    it(`gives S3's base64 value for every algorithm, fed in pieces (${webCrypto ? "WebCrypto" : "node:crypto"})`, async () => {
      forceWebCrypto(webCrypto);
      await fc.assert(
        fc.asyncProperty(data, fc.array(fc.nat(), { maxLength: 5 }), async (bytes, cuts) => {
          for (const alg of CHECKSUM_ALGORITHMS) {
            const c = createChecksum(alg);
            let off = 0;
            for (const cut of cuts) {
              const end = Math.min(bytes.length, off + (cut % 300));
              c.update(bytes.subarray(off, end));
              off = end;
            }
            c.update(bytes.subarray(off));
            expect(await c.digestBase64()).toBe(checksumOf(`x-amz-checksum-${alg}`, bytes));
          }
        }),
        { ...RUNS, numRuns: 100 },
      );
    });
  }
});
