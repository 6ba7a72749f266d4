import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forceWebCrypto } from "../../core/sigv4/crypto.js";
import { Sha256 } from "../../core/util/sha256.js";
import { hashBlob } from "./hash-blob.js";
import { hashPart, WEBCRYPTO_MAX_PART } from "./hash-part.js";
import { createSha256 } from "./hasher.js";

const nodeB64 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("base64");

/** A Blob that records the size of every slice read from it. */
class WatchedBlob extends Blob {
  reads: number[] = [];
  override slice(start?: number, end?: number): Blob {
    const part = super.slice(start, end);
    this.reads.push(part.size);
    return part;
  }
}

function bytesOf(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 131 + seed * 7 + (i >> 8)) & 255;
  return out;
}

describe("hashBlob", () => {
  it("matches node:crypto for any size and chunk size, with the JS and the native hasher", async () => {
    const js = () => new Sha256();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300_000 }),
        fc.integer({ min: 512, max: 100_000 }),
        async (n, chunk) => {
          const data = bytesOf(n, chunk);
          expect(await hashBlob(new Blob([data]), { chunkSize: chunk, hasher: js })).toBe(nodeB64(data));
          expect(await hashBlob(new Blob([data]), { chunkSize: chunk })).toBe(nodeB64(data));
        },
      ),
      { numRuns: 30 },
    );
    // Tiny chunks, block boundaries crossed every few bytes.
    for (const chunk of [1, 3, 63, 65]) {
      const data = bytesOf(300, chunk);
      expect(await hashBlob(new Blob([data]), { chunkSize: chunk, hasher: js })).toBe(nodeB64(data));
    }
  });

  it("uses node:crypto in Node (through core's seam) and the JS hasher elsewhere", () => {
    expect(createSha256()).not.toBeInstanceOf(Sha256);
    forceWebCrypto(true);
    try {
      expect(createSha256()).toBeInstanceOf(Sha256);
    } finally {
      forceWebCrypto(false);
    }
  });

  it("reads the file in chunks, never all at once, and reports progress", async () => {
    const data = bytesOf(10 * 1024 * 1024 + 5, 1);
    const blob = new WatchedBlob([data]);
    const progress: number[] = [];
    const hash = await hashBlob(blob, { chunkSize: 1024 * 1024, onProgress: (n) => progress.push(n) });
    expect(hash).toBe(nodeB64(data));
    expect(Math.max(...blob.reads)).toBe(1024 * 1024);
    expect(blob.reads).toHaveLength(11);
    expect(progress).toEqual([...Array.from({ length: 10 }, (_, i) => (i + 1) * 1024 * 1024), data.length]);
  });

  it("stops when aborted and waits at the gate", async () => {
    const controller = new AbortController();
    const data = bytesOf(4096, 2);
    let gates = 0;
    const hash = hashBlob(new Blob([data]), {
      chunkSize: 1024,
      signal: controller.signal,
      gate: async () => {
        if (++gates === 2) controller.abort();
      },
    });
    await expect(hash).rejects.toThrow();
    expect(gates).toBe(2);
  });
});

describe("hashPart", () => {
  it("uses WebCrypto up to 64 MiB and the incremental hasher above, with the same answer", async () => {
    const data = bytesOf(200_000, 3);
    expect(await hashPart(new Blob([data]))).toBe(nodeB64(data));
    expect(WEBCRYPTO_MAX_PART).toBe(64 * 1024 * 1024);
    const subtle = globalThis.crypto.subtle;
    const digest = subtle.digest.bind(subtle);
    let calls = 0;
    subtle.digest = ((...args: Parameters<typeof digest>) => {
      calls++;
      return digest(...args);
    }) as typeof subtle.digest;
    try {
      await hashPart(new Blob([data]));
      expect(calls).toBe(1);
      const big = new Blob([new Uint8Array(WEBCRYPTO_MAX_PART + 1)]);
      expect(await hashPart(big)).toBe(nodeB64(new Uint8Array(WEBCRYPTO_MAX_PART + 1)));
      expect(calls).toBe(1);
    } finally {
      subtle.digest = digest;
    }
  });
});
