import type { RouteChecksumAlgorithm } from "../../core/protocol.js";
import { Crc32c } from "../../core/util/crc32c.js";
import { Crc64Nvme } from "../../core/util/crc64nvme.js";
import { CrcWorkerPool, WorkersUnavailable } from "./crc-workers.js";
import { hashBlob } from "./hash-blob.js";
import { hashPart } from "./hash-part.js";
import { hardwareConcurrency } from "./worker-types.js";

let pool: CrcWorkerPool | undefined | null = null;

/**
 * CRC workers for a machine with `cores` logical cores: up to 4, leaving a core for the page and
 * the upload itself, so one on 2 cores. A worker overlaps reading and hashing on its own (it hashes
 * each chunk of its part's stream while the next is read), and one hashes several times faster
 * than an upload sends (bench:browser), so a second one on 2 cores only competes with the upload
 * for the same CPU.
 */
export function crcWorkerCount(cores: number | undefined): number {
  return Math.max(1, Math.min(4, (cores ?? 2) - 1));
}

function sharedPool(): CrcWorkerPool | undefined {
  if (pool === null) pool = CrcWorkerPool.create(crcWorkerCount(hardwareConcurrency()));
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
