/**
 * What bench/browser.bench.ts runs inside Chromium (bundled by esbuild, served by the dev stack):
 * each function returns milliseconds, measured with performance.now() in the page.
 */

import { crcWorkerStats } from "../src/client/hash/crc-workers.js";
import { hashBlob } from "../src/client/hash/hash-blob.js";
import { hashPart } from "../src/client/hash/hash-part.js";
import { blobChecksum, checksumConcurrency } from "../src/client/hash/part-checksum.js";
import { createUploader } from "../src/client/index.js";

export interface UploadTimes {
  ms: number;
  hashMs: number;
  sendMs: number;
  restMs: number;
  status: string;
}

let blob: Blob | undefined;

const bench = {
  /** Takes the file picked in the page's input (a disk-backed File, as users upload). */
  prepare(): number {
    blob = (document.getElementById("file") as HTMLInputElement).files![0]!;
    return blob.size;
  },

  /**
   * SHA-256 throughput of both hashers over the whole blob: `partsMs`, part by part with WebCrypto
   * (what the client runs for multipart: `partSize` slices, one after another, each read and
   * digested natively); `jsMs`, the incremental JS hasher in 4 MiB slices (single PUTs above 64 MiB).
   */
  async hash(partSize: number): Promise<{ partsMs: number; jsMs: number }> {
    let started = performance.now();
    for (let start = 0; start < blob!.size; start += partSize) {
      await hashPart(blob!.slice(start, Math.min(blob!.size, start + partSize)));
    }
    const partsMs = performance.now() - started;
    started = performance.now();
    await hashBlob(blob!);
    return { partsMs, jsMs: performance.now() - started };
  },

  /**
   * CRC throughput over the whole blob as the client computes part CRCs for multipart: `partSize`
   * slices, as many at once as it runs workers, each read and hashed in a Worker.
   */
  async crc(
    algorithm: "crc64nvme" | "crc32c",
    partSize: number,
  ): Promise<{ ms: number; workers: number; kernel: string | undefined }> {
    const starts: number[] = [];
    for (let start = 0; start < blob!.size; start += partSize) starts.push(start);
    const workers = checksumConcurrency(algorithm);
    const started = performance.now();
    let next = 0;
    const run = async () => {
      while (next < starts.length) {
        const start = starts[next++]!;
        await blobChecksum(algorithm, blob!.slice(start, Math.min(blob!.size, start + partSize)));
      }
    };
    crcWorkerStats.kernel = undefined;
    await Promise.all(Array.from({ length: workers }, run));
    return { ms: performance.now() - started, workers, kernel: crcWorkerStats.kernel };
  },

  /** Milliseconds the CRC workers spent hashing so far (CPU in worker threads the main thread does not see). */
  workerBusyMs(): number {
    return crcWorkerStats.busyMs;
  },

  /** The baseline: one fetch PUT of the blob to a presigned URL that signs no checksum. */
  async put(url: string, headers: Record<string, string>): Promise<{ ms: number; status: number }> {
    const started = performance.now();
    const response = await fetch(url, { method: "PUT", headers, body: blob! });
    await response.arrayBuffer();
    return { ms: performance.now() - started, status: response.status };
  },

  /**
   * The multipart floor: the blob's parts PUT with fetch to presigned part URLs (no checksum, no
   * gateway), `concurrency` at a time. Returns the ETags in part order.
   */
  async parts(
    urls: Array<{ url: string; headers: Record<string, string> }>,
    partSize: number,
    concurrency: number,
  ): Promise<{ ms: number; etags: string[] }> {
    const etags: string[] = new Array(urls.length);
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < urls.length) {
        const i = next++;
        const start = i * partSize;
        const body = blob!.slice(start, Math.min(blob!.size, start + partSize));
        const response = await fetch(urls[i]!.url, { method: "PUT", headers: urls[i]!.headers, body });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`part ${i + 1} answered ${response.status}`);
        etags[i] = response.headers.get("etag")!;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { ms: performance.now() - started, etags };
  },

  /**
   * The client's upload through the gateway: hashing, PUT or parts, complete and verification.
   * Also when each phase ended: hashing the whole file, sending the bytes, and the rest (complete
   * and the gateway's verification).
   */
  async upload(route: string, token: string, concurrency: number, checksum = true): Promise<UploadTimes> {
    const uploader = createUploader({
      endpoint: location.origin,
      headers: { authorization: `Bearer ${token}` },
      concurrency,
      checksum,
    });
    const file = new File([blob!], `bench-${route}-${concurrency}.bin`, { type: "application/octet-stream" });
    const started = performance.now();
    let hashed = started;
    let sent = started;
    const [record] = await uploader.upload(file, {
      route,
      onProgress: (p) => {
        if (p.phase === "hashing") hashed = performance.now();
        else if (p.phase === "uploading" && p.loaded === p.total && sent === started)
          sent = performance.now();
      },
    });
    const ms = performance.now() - started;
    return {
      ms,
      hashMs: hashed - started,
      sendMs: sent - hashed,
      restMs: started + ms - sent,
      status: record!.status,
    };
  },
};

(globalThis as unknown as { bench: typeof bench }).bench = bench;
