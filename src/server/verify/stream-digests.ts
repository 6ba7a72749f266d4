import { createHash, toBase64 } from "../../core/index.js";
import type { RouteChecksumAlgorithm } from "../../core/protocol.js";
import { Crc32c } from "../../core/util/crc32c.js";
import { Crc64Nvme } from "../../core/util/crc64nvme.js";

interface Digest {
  update(bytes: Uint8Array): void;
  base64(): Promise<string>;
}

/** One incremental digest of `algorithm` (node:crypto for SHA-256, the core CRCs for the others). */
export function newDigest(algorithm: RouteChecksumAlgorithm): Digest {
  if (algorithm === "sha256") {
    const hash = createHash("sha256");
    return { update: (b) => hash.update(b), base64: async () => toBase64(await hash.digest()) };
  }
  const crc = algorithm === "crc64nvme" ? new Crc64Nvme() : new Crc32c();
  return {
    update: (b) => void crc.update(b),
    base64: async () => crc.digestBase64(),
  };
}

export interface StreamedDigests {
  /** Each consecutive range of `sizes`, base64; fewer than sizes.length when the stream is shorter. */
  parts: string[];
  /** The whole stream's digest, when asked for. */
  whole?: string;
  /** Bytes read. */
  bytes: number;
}

/**
 * Reads `stream` once, digesting each consecutive byte range of `sizes` (empty: none) and, with
 * `whole`, everything. The one pass the gateway makes over an object on backends that keep no
 * checksum it can compare (Ceph RGW 16): a multipart object's part digests and its whole-file
 * digest come from the same read.
 */
export async function streamDigests(
  stream: ReadableStream<Uint8Array>,
  algorithm: RouteChecksumAlgorithm,
  sizes: readonly number[],
  whole: boolean,
): Promise<StreamedDigests> {
  const parts: string[] = [];
  const all = whole ? newDigest(algorithm) : undefined;
  let part = 0;
  let left = sizes[0] ?? 0;
  let current = sizes.length > 0 ? newDigest(algorithm) : undefined;
  let bytes = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      all?.update(value);
      let chunk = value;
      while (current && chunk.length > 0) {
        const take = Math.min(left, chunk.length);
        current.update(chunk.subarray(0, take));
        left -= take;
        chunk = chunk.subarray(take);
        if (left === 0) {
          parts.push(await current.base64());
          part++;
          left = sizes[part] ?? 0;
          current = part < sizes.length ? newDigest(algorithm) : undefined;
        }
      }
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw err;
  }
  return { parts, bytes, ...(all ? { whole: await all.base64() } : {}) };
}
