import { AwsCrc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme } from "@aws-sdk/crc64-nvme";
import { describe, expect, it } from "vitest";
import { readFailure } from "../read-error.js";
import { crcWorkerSource } from "./crc-worker-source.js";
import { CrcWorkerPool, crcWorkerStats, WorkersUnavailable } from "./crc-workers.js";
import { blobChecksum, crcWorkerCount } from "./part-checksum.js";
import type { WorkerLike } from "./worker-types.js";

async function oracle(algorithm: "crc64nvme" | "crc32c", bytes: Uint8Array): Promise<string> {
  const h = algorithm === "crc64nvme" ? new Crc64Nvme() : new AwsCrc32c();
  h.update(bytes);
  return Buffer.from(await h.digest()).toString("base64");
}

function bytesOf(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0, x = seed; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    out[i] = x >>> 24;
  }
  return out;
}

/**
 * Runs the real worker script in this process: a Worker whose global scope is a plain object, with
 * messages delivered asynchronously as between threads. Node has no Web Worker, and the script's
 * own text is what browsers run, so this tests it without a browser.
 */
class InProcessWorker implements WorkerLike {
  static started = 0;
  static terminated = 0;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { preventDefault?: () => void }) => void) | null = null;
  #scope: { postMessage(data: unknown): void; onmessage?: (event: { data: unknown }) => void } = {
    postMessage: (data) => setTimeout(() => !this.#dead && this.onmessage?.({ data })),
  };
  #dead = false;

  constructor(_url: string) {
    InProcessWorker.started++;
    new Function("self", crcWorkerSource())(this.#scope);
  }

  postMessage(message: unknown): void {
    setTimeout(() => !this.#dead && this.#scope.onmessage?.({ data: message }));
  }

  terminate(): void {
    InProcessWorker.terminated++;
    this.#dead = true;
  }
}

/** The worker script, sent a kernel module it cannot instantiate (or none: a page refusing WebAssembly). */
function workerWithModule(module: object | undefined) {
  return class extends InProcessWorker {
    override postMessage(message: unknown): void {
      const m = message as { tables?: unknown };
      super.postMessage(m.tables ? { tables: m.tables, module } : message);
    }
  };
}

/** A Worker whose script cannot load (a CSP refusing blob: workers, say). */
class RefusedWorker implements WorkerLike {
  onmessage = null;
  onerror: ((event: { preventDefault?: () => void }) => void) | null = null;
  constructor(_url: string) {
    setTimeout(() => this.onerror?.({}));
  }
  postMessage(): void {}
  terminate(): void {}
}

describe("CrcWorkerPool (the worker script, run in process)", () => {
  it("answers each algorithm's CRC as the AWS SDK computes it, across chunk boundaries and for empty blobs", async () => {
    const pool = new CrcWorkerPool(2, InProcessWorker);
    for (const algorithm of ["crc64nvme", "crc32c"] as const) {
      for (const size of [0, 1, 15, 17, 4 * 1024 * 1024 + 3, 9 * 1024 * 1024]) {
        const bytes = bytesOf(size, size + 1);
        expect(await pool.run(algorithm, new Blob([bytes]))).toBe(await oracle(algorithm, bytes));
      }
    }
  });

  it("hashes in WebAssembly with the compiled kernel the pool sends", async () => {
    const pool = new CrcWorkerPool(1, InProcessWorker);
    crcWorkerStats.kernel = undefined;
    const bytes = bytesOf(1_000_003);
    expect(await pool.run("crc64nvme", new Blob([bytes]))).toBe(await oracle("crc64nvme", bytes));
    expect(crcWorkerStats.kernel).toBe("wasm");
  });

  for (const [situation, module] of [
    ["no module (WebAssembly refused on the page)", undefined],
    ["a module that cannot be instantiated", {}],
  ] as const) {
    it(`runs the inlined JS loops, with the same answers, given ${situation}`, async () => {
      const pool = new CrcWorkerPool(1, workerWithModule(module));
      for (const algorithm of ["crc64nvme", "crc32c"] as const) {
        for (const size of [0, 17, 4 * 1024 * 1024 + 3]) {
          crcWorkerStats.kernel = undefined;
          const bytes = bytesOf(size, size + 3);
          expect(await pool.run(algorithm, new Blob([bytes]))).toBe(await oracle(algorithm, bytes));
          expect(crcWorkerStats.kernel).toBe("js");
        }
      }
    });
  }

  it("runs at most `size` jobs at once and queues the rest, each answer going to its own job", async () => {
    InProcessWorker.started = 0;
    const pool = new CrcWorkerPool(3, InProcessWorker);
    const blobs = Array.from({ length: 10 }, (_, i) => bytesOf(100_000 + i, i));
    const results = await Promise.all(blobs.map((b) => pool.run("crc64nvme", new Blob([b]))));
    expect(results).toEqual(await Promise.all(blobs.map((b) => oracle("crc64nvme", b))));
    expect(InProcessWorker.started).toBe(3);
  });

  it("an abort rejects at once and ends the worker running that job; the pool goes on with a fresh one", async () => {
    InProcessWorker.started = 0;
    InProcessWorker.terminated = 0;
    const pool = new CrcWorkerPool(1, InProcessWorker);
    const abort = new AbortController();
    const big = new Blob([bytesOf(8 * 1024 * 1024)]);
    const running = pool.run("crc32c", big, abort.signal);
    const queued = pool.run("crc32c", big, abort.signal);
    abort.abort();
    await expect(running).rejects.toMatchObject({ code: "ABORTED" });
    await expect(queued).rejects.toMatchObject({ code: "ABORTED" });
    expect(InProcessWorker.terminated).toBe(1);
    const small = bytesOf(1000);
    expect(await pool.run("crc32c", new Blob([small]))).toBe(await oracle("crc32c", small));
    expect(InProcessWorker.started).toBe(2);
  });

  it("a file that cannot be read any more fails as the file having changed", async () => {
    const pool = new CrcWorkerPool(1, InProcessWorker);
    const unreadable = {
      size: 10,
      stream: () =>
        new ReadableStream({
          // What Chromium's Blob stream fails with when the file changed on disk.
          pull: (controller) => controller.error(new TypeError("network error")),
        }),
    } as unknown as Blob;
    const err = await pool.run("crc64nvme", unreadable).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "NotReadableError" });
    expect(readFailure(err)).toMatchObject({ code: "CHECKSUM", message: /the file changed while uploading/ });
  });

  it("a file that ends before its size fails as the file having changed, not with a CRC of fewer bytes", async () => {
    const pool = new CrcWorkerPool(1, InProcessWorker);
    const shrunk = { size: 10, stream: () => new Blob([bytesOf(6)]).stream() } as unknown as Blob;
    const err = await pool.run("crc32c", shrunk).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "NotReadableError", message: "the file is shorter than before" });
    expect(readFailure(err)).toMatchObject({ code: "CHECKSUM" });
  });

  it("workers that cannot start hand every job back (WorkersUnavailable) and the pool stays off", async () => {
    const pool = new CrcWorkerPool(2, RefusedWorker);
    const jobs = [1, 2, 3].map(() => pool.run("crc32c", new Blob([bytesOf(10)])));
    for (const job of jobs) await expect(job).rejects.toBeInstanceOf(WorkersUnavailable);
    expect(pool.broken).toBe(true);
    await expect(pool.run("crc32c", new Blob([]))).rejects.toBeInstanceOf(WorkersUnavailable);
  });
});

describe("crcWorkerCount", () => {
  it("leaves a core for the page and the upload, one worker at least and 4 at most", () => {
    expect([undefined, 1, 2, 3, 4, 8, 64].map(crcWorkerCount)).toEqual([1, 1, 1, 2, 3, 4, 4]);
  });
});

describe("blobChecksum", () => {
  it("hashes on this thread where there is no Worker (Node), with the same answers", async () => {
    const bytes = bytesOf(5 * 1024 * 1024 + 11);
    expect(await blobChecksum("crc64nvme", new Blob([bytes]))).toBe(await oracle("crc64nvme", bytes));
    expect(await blobChecksum("crc32c", new Blob([bytes]))).toBe(await oracle("crc32c", bytes));
    const { createHash } = await import("node:crypto");
    expect(await blobChecksum("sha256", new Blob([bytes]))).toBe(
      createHash("sha256").update(bytes).digest("base64"),
    );
  });
});
