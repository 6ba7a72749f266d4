/**
 * What bench/browser.bench.ts runs inside Chromium (bundled by esbuild, served by the dev stack):
 * each function returns milliseconds, measured with performance.now() in the page.
 */
import { createUploader, hashBlob } from "../src/client/index.js";

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

  /** SHA-256 of the whole blob, as the client computes it before an upload. */
  async hash(): Promise<{ ms: number; sha256: string }> {
    const started = performance.now();
    const sha256 = await hashBlob(blob!);
    return { ms: performance.now() - started, sha256 };
  },

  /** The baseline: one fetch PUT of the blob to a presigned URL that signs no checksum. */
  async put(url: string, headers: Record<string, string>): Promise<{ ms: number; status: number }> {
    const started = performance.now();
    const response = await fetch(url, { method: "PUT", headers, body: blob! });
    await response.arrayBuffer();
    return { ms: performance.now() - started, status: response.status };
  },

  /**
   * The client's upload through the gateway: hashing, PUT or parts, complete and verification.
   * Also when each phase ended: hashing the whole file, sending the bytes, and the rest (complete
   * and the gateway's verification).
   */
  async upload(route: string, token: string, concurrency: number): Promise<UploadTimes> {
    const uploader = createUploader({
      endpoint: location.origin,
      headers: { authorization: `Bearer ${token}` },
      concurrency,
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
