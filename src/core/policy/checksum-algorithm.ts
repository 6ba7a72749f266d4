import type { RouteChecksumAlgorithm } from "../protocol.js";
import { fromBase64 } from "../sigv4/crypto.js";
import { sha256Problem } from "./checksum.js";

/** The whole-file checksums a route may ask for; "sha256" is the default. */
export const ROUTE_CHECKSUM_ALGORITHMS = [
  "sha256",
  "crc64nvme",
  "crc32c",
] as const satisfies readonly RouteChecksumAlgorithm[];

/** Digest length in bytes: S3 sends each as base64 of the big-endian bytes. */
const DIGEST_BYTES: Record<RouteChecksumAlgorithm, number> = { sha256: 32, crc64nvme: 8, crc32c: 4 };

/** S3's name for each, as x-amz-checksum-algorithm and the Checksum* XML elements write it. */
export const S3_ALGORITHM: Record<RouteChecksumAlgorithm, "SHA256" | "CRC64NVME" | "CRC32C"> = {
  sha256: "SHA256",
  crc64nvme: "CRC64NVME",
  crc32c: "CRC32C",
};

/**
 * How a multipart upload keeps the checksum: SHA-256 only as COMPOSITE (a hash of the part hashes,
 * "<base64>-N"); the CRCs as FULL_OBJECT (the parts' CRCs combine into the whole file's CRC).
 */
export const MULTIPART_CHECKSUM_TYPE: Record<RouteChecksumAlgorithm, "COMPOSITE" | "FULL_OBJECT"> = {
  sha256: "COMPOSITE",
  crc64nvme: "FULL_OBJECT",
  crc32c: "FULL_OBJECT",
};

export function isRouteChecksumAlgorithm(value: unknown): value is RouteChecksumAlgorithm {
  return (ROUTE_CHECKSUM_ALGORITHMS as readonly unknown[]).includes(value);
}

/** The signed header (and POST field) that carries a value of this algorithm. */
export function checksumHeader(algorithm: RouteChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm}`;
}

/** Whether `value` is canonical padded base64 of exactly one digest of `algorithm`. */
export function isBase64Checksum(algorithm: RouteChecksumAlgorithm, value: unknown): value is string {
  const bytes = DIGEST_BYTES[algorithm];
  return (
    typeof value === "string" &&
    value.length === 4 * Math.ceil(bytes / 3) &&
    fromBase64(value)?.length === bytes
  );
}

/** A clear reason a declared value is unusable, with a hint for the usual mistake (hex). */
export function checksumValueProblem(algorithm: RouteChecksumAlgorithm, value: unknown): string | undefined {
  if (isBase64Checksum(algorithm, value)) return undefined;
  if (algorithm === "sha256") return sha256Problem(value);
  const bytes = DIGEST_BYTES[algorithm];
  const chars = 4 * Math.ceil(bytes / 3);
  if (typeof value === "string" && new RegExp(`^[0-9a-f]{${bytes * 2}}$`, "i").test(value)) {
    return `${algorithm} must be base64 (${chars} characters), not hex`;
  }
  return `${algorithm} must be the base64 ${S3_ALGORITHM[algorithm]} of the file (${bytes} bytes, ${chars} characters)`;
}
