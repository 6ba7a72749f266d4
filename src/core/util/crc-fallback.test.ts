import { crc32 as zlibCrc32 } from "node:zlib";
import { AwsCrc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme as AwsCrc64Nvme } from "@aws-sdk/crc64-nvme";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { aws, wasmApi } from "../../../test/support/crc-oracle.js";

/**
 * Where WebAssembly is missing or refused, core's CRCs run their JS loops, silently and correctly.
 * Each case loads core's CRC modules afresh under a stubbed WebAssembly global (this file runs
 * isolated, in the unit-isolated project, because it resets the module graph).
 */

class CspRefusedModule {
  constructor() {
    // What Chromium throws under a Content-Security-Policy without 'wasm-unsafe-eval'.
    throw new wasmApi.CompileError(
      "WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source of script",
    );
  }
}
class RefusedInstance {
  constructor() {
    throw new RangeError(
      "WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance",
    );
  }
}

const runtimes = {
  "WebAssembly is missing": undefined,
  "a CSP refuses to compile": {
    Module: CspRefusedModule,
    CompileError: wasmApi.CompileError,
  },
  "instantiation fails": { Module: wasmApi.Module, Instance: RefusedInstance },
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe.each(Object.entries(runtimes))("when %s", (situation, wasm) => {
  async function load() {
    vi.stubGlobal("WebAssembly", wasm);
    vi.resetModules();
    return {
      kernel: await import("./crc-wasm.js"),
      c64: await import("./crc64nvme.js"),
      c32c: await import("./crc32c.js"),
      c32: await import("./crc32.js"),
      sigv4: await import("../sigv4/checksums.js"),
    };
  }

  it("core's CRCs run the JS loops and agree with the AWS SDK and zlib on any bytes, offsets and splits", async () => {
    const { kernel, c64, c32c, c32, sigv4 } = await load();
    expect(kernel.crcKernel()).toBe(situation === "instantiation fails" ? "wasm" : "js");
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 3000, size: "max" }),
        fc.nat({ max: 7 }),
        fc.nat(),
        async (d, offset, cut) => {
          const bytes = new Uint8Array(d.length + offset).subarray(offset);
          bytes.set(d);
          const k = cut % (bytes.length + 1);
          const h64 = new c64.Crc64Nvme().update(bytes.subarray(0, k)).update(bytes.subarray(k));
          const h32c = new c32c.Crc32c().update(bytes.subarray(0, k)).update(bytes.subarray(k));
          expect(h64.digestBase64()).toBe(await aws(new AwsCrc64Nvme(), bytes));
          expect(h32c.digestBase64()).toBe(await aws(new AwsCrc32c(), bytes));
          expect(c32.crc32(bytes)).toBe(zlibCrc32(bytes));
          expect(sigv4.crc32c(bytes.subarray(k), sigv4.crc32c(bytes.subarray(0, k)))).toBe(
            c32c.crc32c(bytes),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
