/** A StorageClient stand-in for the verify tests: only getStream (counted) and a HEAD result. */
import type { ObjectHead, StorageClient } from "../../src/server/s3/types.js";

/** Storage whose getStream serves `body` in `chunk`-byte pieces and records each key read. */
export function streamingStorage(body: Uint8Array, chunk: number) {
  const reads: string[] = [];
  const storage = {
    async getStream(key: string) {
      reads.push(key);
      return new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < body.length; i += chunk) c.enqueue(body.subarray(i, i + chunk));
          c.close();
        },
      });
    },
  } as unknown as StorageClient;
  return { storage, reads };
}

/** A HEAD result for an object of `size` bytes with these checksums. */
export function headWith(size: number, contentType: string, checksums: Record<string, string>): ObjectHead {
  return { size, contentType, etag: '"e"', lastModified: new Date(), metadata: {}, checksums, system: {} };
}
