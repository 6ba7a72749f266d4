import { crc32 as zlibCrc32 } from "node:zlib";
import { AwsCrc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme as AwsCrc64Nvme } from "@aws-sdk/crc64-nvme";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aws, b64, type WasmApi, wasmApi } from "../../../test/support/crc-oracle.js";
import { CRC_WASM_CHUNK, crcKernel, crcWasmBytes, crcWasmModule, crcWasmUpdater } from "./crc-wasm.js";
import { CRC32_TABLE } from "./crc32.js";
import { CRC32C_TABLE, Crc32c } from "./crc32c.js";
import { CRC64NVME_TABLES, Crc64Nvme, crc64nvme } from "./crc64nvme.js";
import { sleb, uleb } from "./wasm-emit.js";

const word = (w: number) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255];

const module = crcWasmModule()!;
const wasm64 = crcWasmUpdater(module, CRC64NVME_TABLES.lo, CRC64NVME_TABLES.hi);
const wasm32c = crcWasmUpdater(module, CRC32C_TABLE);
const wasm32 = crcWasmUpdater(module, CRC32_TABLE);

/** The three CRCs of `pieces` in sequence through the wasm kernel, as big-endian base64 / a number. */
function viaWasm(pieces: Uint8Array[]) {
  const s64 = Int32Array.of(-1, -1);
  const s32c = Int32Array.of(-1);
  const s32 = Int32Array.of(-1);
  for (const p of pieces) {
    wasm64(s64, p);
    wasm32c(s32c, p);
    wasm32(s32, p);
  }
  return {
    crc64nvme: b64(Uint8Array.from([...word(~s64[0]!), ...word(~s64[1]!)])),
    crc32c: b64(Uint8Array.from(word(~s32c[0]!))),
    crc32: ~s32[0]! >>> 0,
  };
}

async function expectAgrees(pieces: Uint8Array[]) {
  const whole = Buffer.concat(pieces);
  const got = viaWasm(pieces);
  expect(got.crc64nvme).toBe(await aws(new AwsCrc64Nvme(), whole));
  expect(got.crc32c).toBe(await aws(new AwsCrc32c(), whole));
  expect(got.crc32).toBe(zlibCrc32(whole));
}

describe("the emitter", () => {
  it("encodes LEB128 as the WebAssembly spec's examples", () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(65528)).toEqual([0xf8, 0xff, 0x03]);
    expect(sleb(-16)).toEqual([0x70]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(2040)).toEqual([0xf8, 0x0f]);
  });

  it("assembles a valid module small enough to compile synchronously on a browser main thread", () => {
    const bytes = crcWasmBytes();
    expect(bytes.length).toBeLessThan(4096);
    expect(wasmApi.validate(bytes)).toBe(true);
    const exports = wasmApi.Module.exports(new wasmApi.Module(bytes)).map((e) => `${e.kind} ${e.name}`);
    expect(exports).toEqual(["memory memory", "function c32", "function c64"]);
  });
});

describe("the wasm kernel", () => {
  it("is the one core's CRCs run in Node", () => {
    expect(crcKernel()).toBe("wasm");
  });

  it("agrees with the AWS SDK and zlib on arbitrary bytes, offsets and chunkings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 5000, size: "max" }),
        fc.nat({ max: 15 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (d, offset, cuts) => {
          // A view at any byte offset into a larger buffer, split at arbitrary points.
          const view = new Uint8Array(d.length + offset).fill(0xa5, 0, offset);
          view.set(d, offset);
          const bytes = view.subarray(offset);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const pieces: Uint8Array[] = [];
          let from = 0;
          for (const to of [...points, bytes.length]) {
            pieces.push(bytes.subarray(from, to));
            from = to;
          }
          await expectAgrees(pieces);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("hashes inputs larger than its memory in chunks, with every split around the chunk size", async () => {
    const big = Uint8Array.from(
      { length: 3 * CRC_WASM_CHUNK + 13 },
      (_, i) => (Math.imul(i, 2654435761) >>> 24) & 255,
    );
    await expectAgrees([big]);
    for (const cut of [CRC_WASM_CHUNK - 1, CRC_WASM_CHUNK, CRC_WASM_CHUNK + 1, 2 * CRC_WASM_CHUNK + 7]) {
      await expectAgrees([big.subarray(0, cut), big.subarray(cut)]);
    }
  });

  it("keeps each hasher's register apart when several share the instance", async () => {
    const a = Uint8Array.from({ length: 100_003 }, (_, i) => i & 255);
    const b = Uint8Array.from({ length: 70_001 }, (_, i) => (i * 7) & 255);
    const ha = new Crc64Nvme();
    const hb = new Crc64Nvme();
    const ca = new Crc32c();
    const cb = new Crc32c();
    for (let i = 0; i < 100_003; i += 9_999) {
      ha.update(a.subarray(i, i + 9_999));
      ca.update(a.subarray(i, i + 9_999));
      hb.update(b.subarray(i, i + 9_999));
      cb.update(b.subarray(i, i + 9_999));
    }
    expect(ha.digestBase64()).toBe(await aws(new AwsCrc64Nvme(), a));
    expect(hb.value()).toBe(crc64nvme(b));
    expect(ca.digestBase64()).toBe(await aws(new AwsCrc32c(), a));
    expect(cb.digestBase64()).toBe(await aws(new AwsCrc32c(), b));
  });

  it("throws on instantiation failure, for the caller to fall back", () => {
    const original = wasmApi.Instance;
    wasmApi.Instance = class {
      constructor() {
        throw new RangeError("WebAssembly.Instance(): Out of memory");
      }
    } as unknown as WasmApi["Instance"];
    try {
      expect(() => crcWasmUpdater(module, CRC32C_TABLE)).toThrow(/Out of memory/);
    } finally {
      wasmApi.Instance = original;
    }
  });
});
