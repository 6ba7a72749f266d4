import { crc32 as zlibCrc32 } from "node:zlib";
import { AwsCrc32 } from "@aws-crypto/crc32";
import { AwsCrc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme as AwsCrc64Nvme } from "@aws-sdk/crc64-nvme";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { combineCrcBase64, crc32Combine, crc32cCombine, crc64nvmeCombine } from "./crc-combine.js";
import { Crc32, crc32 } from "./crc32.js";
import { Crc32c, crc32c } from "./crc32c.js";
import { Crc64Nvme, crc64nvme } from "./crc64nvme.js";

const enc = new TextEncoder();
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const filled = (length: number, byte: (i: number) => number) =>
  Uint8Array.from({ length }, (_, i) => byte(i));

async function aws(
  make: () => { update(d: Uint8Array): void; digest(): Promise<Uint8Array> },
  d: Uint8Array,
) {
  const h = make();
  h.update(d);
  return b64(await h.digest());
}
const awsCrc64 = (d: Uint8Array) => aws(() => new AwsCrc64Nvme(), d);
const awsCrc32c = (d: Uint8Array) => aws(() => new AwsCrc32c(), d);
const awsCrc32 = (d: Uint8Array) => aws(() => new AwsCrc32(), d);

// Lengths around the 16-byte stride and the byte-wise tail, and a few larger ones ("max": without
// it fast-check keeps arrays to about 10 bytes, which never reach the 16-byte loops).
const data = fc.uint8Array({ minLength: 0, maxLength: 5000, size: "max" });

describe("check values", () => {
  it("CRC-64/NVME matches the catalogue check value and the NVMe spec's 4 KiB test cases", () => {
    expect(crc64nvme(enc.encode("123456789"))).toBe(0xae8b14860a799888n);
    expect(crc64nvme(new Uint8Array(0))).toBe(0n);
    // NVM Express NVM Command Set 1.0, "64b CRC Test Cases".
    expect(crc64nvme(new Uint8Array(4096))).toBe(0x6482d367eb22b64en);
    expect(crc64nvme(filled(4096, () => 0xff))).toBe(0xc0ddba7302eca3acn);
    expect(crc64nvme(filled(4096, (i) => i & 255))).toBe(0x3e729f5f6750449cn);
    expect(crc64nvme(filled(4096, (i) => 255 - (i & 255)))).toBe(0x9a2df64b8e9e517en);
    // aws-c-s3's checksum test: "aaaaaaaaaa".
    expect(new Crc64Nvme().update(enc.encode("aaaaaaaaaa")).digest()).toEqual(
      Uint8Array.from([0x0c, 0x1a, 0x80, 0x03, 0x6d, 0x65, 0xc5, 0x55]),
    );
  });

  it("CRC-32 and CRC-32C match the catalogue check values", () => {
    expect(crc32(enc.encode("123456789"))).toBe(0xcbf43926);
    expect(crc32c(enc.encode("123456789"))).toBe(0xe3069283);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(new Crc32c().update(enc.encode("123456789")).digest()).toEqual(
      Uint8Array.from([0xe3, 0x06, 0x92, 0x83]),
    );
  });

  it("base64 is the big-endian bytes, as S3 writes x-amz-checksum-*", () => {
    const d = enc.encode("hello world!");
    expect(new Crc64Nvme().update(d).digestBase64()).toBe(
      Buffer.from("d9160d1fa8e418e3", "hex").toString("base64"),
    );
    expect(new Crc32().update(d).digestBase64()).toBe(b64(new Crc32().update(d).digest()));
    expect(new Crc32().update(enc.encode("123456789")).digestBase64()).toBe("y/Q5Jg==");
  });
});

describe("differential against the AWS SDK and zlib", () => {
  it("one-shot values agree on random data", async () => {
    await fc.assert(
      fc.asyncProperty(data, async (d) => {
        expect(new Crc64Nvme().update(d).digestBase64()).toBe(await awsCrc64(d));
        expect(new Crc32c().update(d).digestBase64()).toBe(await awsCrc32c(d));
        expect(new Crc32().update(d).digestBase64()).toBe(await awsCrc32(d));
        expect(crc32(d)).toBe(zlibCrc32(d));
      }),
      { numRuns: 300 },
    );
  });

  it("agrees on a few MiB (many 16-byte strides, an odd tail)", async () => {
    const d = filled(3 * 1024 * 1024 + 13, (i) => (Math.imul(i, 2654435761) >>> 24) & 255);
    expect(new Crc64Nvme().update(d).digestBase64()).toBe(await awsCrc64(d));
    expect(new Crc32c().update(d).digestBase64()).toBe(await awsCrc32c(d));
    expect(crc32(d)).toBe(zlibCrc32(d));
  });
});

describe("word-at-a-time reads", () => {
  it("agree with the AWS SDK for views at every offset modulo 8 and lengths around the stride", async () => {
    const buffer = filled(4096 + 64, (i) => (i * 167 + 13) & 255);
    for (let offset = 0; offset < 8; offset++) {
      for (const length of [0, 3, 15, 16, 17, 31, 32, 33, 63, 64, 65, 4095]) {
        const view = buffer.subarray(offset, offset + length);
        expect(new Crc64Nvme().update(view).digestBase64()).toBe(await awsCrc64(view));
        expect(new Crc32c().update(view).digestBase64()).toBe(await awsCrc32c(view));
        expect(crc32(view)).toBe(zlibCrc32(view));
      }
    }
  });
});

describe("incremental", () => {
  it("any split into updates equals one update", () => {
    fc.assert(
      fc.property(data, fc.array(fc.nat(), { maxLength: 6 }), (d, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (d.length + 1)))].sort((a, b) => a - b);
        const h64 = new Crc64Nvme();
        const h32 = new Crc32();
        const h32c = new Crc32c();
        let from = 0;
        for (const to of [...points, d.length]) {
          for (const h of [h64, h32, h32c]) h.update(d.subarray(from, to));
          from = to;
        }
        expect(h64.value()).toBe(crc64nvme(d));
        expect(h32.value()).toBe(crc32(d));
        expect(h32c.value()).toBe(crc32c(d));
      }),
      { numRuns: 300 },
    );
  });

  it("digest does not end the stream", () => {
    const h = new Crc64Nvme().update(enc.encode("12345"));
    h.digest();
    expect(h.update(enc.encode("6789")).value()).toBe(0xae8b14860a799888n);
  });
});

describe("combine", () => {
  it("combine(crc(A), crc(B), len(B)) == crc(A||B), parts of any length including 0", () => {
    fc.assert(
      fc.property(data, fc.nat(), (d, cut) => {
        const k = cut % (d.length + 1);
        const a = d.subarray(0, k);
        const b = d.subarray(k);
        expect(crc64nvmeCombine(crc64nvme(a), crc64nvme(b), b.length)).toBe(crc64nvme(d));
        expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(d));
        expect(crc32cCombine(crc32c(a), crc32c(b), b.length)).toBe(crc32c(d));
      }),
      { numRuns: 300 },
    );
  });

  it("combines base64 part checksums into the whole-object value, as S3's FULL_OBJECT", async () => {
    await fc.assert(
      fc.asyncProperty(data, fc.array(fc.nat(), { maxLength: 8 }), async (d, cuts) => {
        const points = [...cuts.map((c) => c % (d.length + 1)), d.length].sort((a, b) => a - b);
        const parts: Uint8Array[] = [];
        let from = 0;
        for (const to of points) {
          parts.push(d.subarray(from, to));
          from = to;
        }
        const of = (digest: (p: Uint8Array) => string) =>
          parts.map((p) => ({ checksum: digest(p), size: p.length }));
        expect(
          combineCrcBase64(
            "crc64nvme",
            of((p) => new Crc64Nvme().update(p).digestBase64()),
          ),
        ).toBe(await awsCrc64(d));
        expect(
          combineCrcBase64(
            "crc32c",
            of((p) => new Crc32c().update(p).digestBase64()),
          ),
        ).toBe(await awsCrc32c(d));
        expect(
          combineCrcBase64(
            "crc32",
            of((p) => new Crc32().update(p).digestBase64()),
          ),
        ).toBe(await awsCrc32(d));
      }),
      { numRuns: 200 },
    );
  });

  it("is associative for part lengths far beyond memory (5 GiB parts, 5 TiB objects)", () => {
    // (A||B)||C == A||(B||C): exercises the x^(2^k) table up to k = 3 + 43.
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.integer({ min: 0, max: 5 * 1024 ** 3 }),
        fc.integer({ min: 0, max: 5 * 1024 ** 4 }),
        (a, b, c, n, m) => {
          expect(crc64nvmeCombine(crc64nvmeCombine(a, b, n), c, m)).toBe(
            crc64nvmeCombine(a, crc64nvmeCombine(b, c, m), n + m),
          );
          const [a32, b32, c32] = [a, b, c].map((v) => Number(v & 0xffffffffn)) as [number, number, number];
          expect(crc32cCombine(crc32cCombine(a32, b32, n), c32, m)).toBe(
            crc32cCombine(a32, crc32cCombine(b32, c32, m), n + m),
          );
        },
      ),
      { numRuns: 100 },
    );
    const mib = filled(1024 * 1024 + 7, (i) => (i * 31) & 255);
    const head = enc.encode("head");
    expect(crc64nvmeCombine(crc64nvme(head), crc64nvme(mib), mib.length)).toBe(
      new Crc64Nvme().update(head).update(mib).value(),
    );
  });

  it("refuses a negative or fractional length and a value of the wrong size, naming the part", () => {
    expect(() => crc32Combine(1, 2, -1)).toThrow(/non-negative safe integer/);
    expect(() => crc64nvmeCombine(1n, 2n, 1.5)).toThrow(/non-negative safe integer/);
    expect(() => combineCrcBase64("crc64nvme", [{ checksum: "y/Q5Jg==", size: 9 }])).toThrow(
      /part 1: crc64nvme must be base64 of 8 bytes/,
    );
    expect(combineCrcBase64("crc32c", [])).toBe("AAAAAA==");
  });
});
