import { checksumHeader } from "../../../core/policy/checksum-algorithm.js";
import type { RouteChecksumAlgorithm } from "../../../core/protocol.js";
import type { CompletedPart } from "../../../core/s3/requests.js";
import type { StoragePart } from "../../s3/types.js";

const ELEMENT = {
  sha256: "ChecksumSHA256",
  crc64nvme: "ChecksumCRC64NVME",
  crc32c: "ChecksumCRC32C",
} as const satisfies Record<RouteChecksumAlgorithm, string>;

/**
 * The CompleteMultipartUpload parts and headers for an upload created with `algorithm`. Each part
 * carries the checksum storage listed for it (S3 requires every part's for a COMPOSITE upload): what
 * storage verified, never the client's claim. None at all when storage listed none (Ceph RGW 16 keeps
 * none, and ignores them). A CRC upload's whole-file value goes in x-amz-checksum-<algorithm> with
 * x-amz-checksum-type: FULL_OBJECT, and storage checks it against the parts' CRCs combined.
 */
export function completeAssembly(
  algorithm: RouteChecksumAlgorithm,
  planned: readonly StoragePart[],
  whole: string | undefined,
): { parts: CompletedPart[]; headers: Record<string, string> } {
  const listed = planned.every((p) => p[algorithm] !== undefined);
  const parts = planned.map((p) => ({
    partNumber: p.partNumber,
    etag: p.etag,
    ...(listed && { checksum: { element: ELEMENT[algorithm], value: p[algorithm]! } }),
  }));
  const headers: Record<string, string> =
    whole === undefined || algorithm === "sha256"
      ? {}
      : { [checksumHeader(algorithm)]: whole, "x-amz-checksum-type": "FULL_OBJECT" };
  return { parts, headers };
}
