import type { RouteChecksumAlgorithm } from "../../core/protocol.js";
import { Crc32c } from "../../core/util/crc32c.js";
import { Crc64Nvme } from "../../core/util/crc64nvme.js";
import { CrcWorkerPool, WorkersUnavailable } from "./crc-workers.js";
import { hashBlob } from "./hash-blob.js";
import { hashPart } from "./hash-part.js";
import { hardwareConcurrency } from "./worker-types.js";

let pool: CrcWorkerPool | undefined | null = null;

/** Up to 4 workers, leaving a core for the page; at least 2 so hashing overlaps reading. */
function sharedPool(): CrcWorkerPool | undefined {
  if (pool === null) pool = CrcWorkerPool.create(Math.max(2, Math.min(4, (hardwareConcurrency() ?? 2) - 1)));
  return pool?.broken ? undefined : pool;
}

/** How many parts are worth hashing at once with this algorithm here. */
export function checksumConcurrency(algorithm: RouteChecksumAlgorithm): number {
  // SHA-256 parts go through WebCrypto one at a time, as they always have: native, and bound by reading.
  return algorithm === "sha256" ? 1 : (sharedPool()?.size ?? 1);
}

/**
 * The base64 checksum of a Blob (a part, or a whole small file) in the route's algorithm, as S3
 * writes x-amz-checksum-<algorithm>. SHA-256: WebCrypto (hashPart). CRCs: in a Worker, or on this
 * thread in slices where Workers cannot run (Node, a CSP refusing blob: workers).
 */
export async function blobChecksum(
  algorithm: RouteChecksumAlgorithm,
  blob: Blob,
  signal?: AbortSignal,
): Promise<string> {
  if (algorithm === "sha256") return hashPart(blob, signal);
  const workers = sharedPool();
  if (workers) {
    try {
      return await workers.run(algorithm, blob, signal);
    } catch (err) {
      if (!(err instanceof WorkersUnavailable)) throw err;
    }
  }
  return hashBlob(blob, {
    hasher: algorithm === "crc64nvme" ? () => new Crc64Nvme() : () => new Crc32c(),
    ...(signal ? { signal } : {}),
  });
}
