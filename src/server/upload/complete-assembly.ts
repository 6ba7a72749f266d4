import { checksumHeader } from "../../core/policy/checksum-algorithm.js";
import type { CompleteRequest, RouteChecksumAlgorithm } from "../../core/protocol.js";
import type { CompletedPart } from "../../core/s3/requests.js";
import type { StoragePart } from "../storage/types.js";

const ELEMENT = {
  sha256: "ChecksumSHA256",
  crc64nvme: "ChecksumCRC64NVME",
  crc32c: "ChecksumCRC32C",
} as const satisfies Record<RouteChecksumAlgorithm, string>;

/**
 * The CompleteMultipartUpload parts and headers for an upload created with `algorithm`. Each part
 * carries its checksum (S3 requires every part's for a COMPOSITE upload): the one storage listed for
 * it, which is what storage verified, else the client's (signed into its URL); none at all when some
 * part has neither (Ceph RGW 16 keeps none, and ignores them). A CRC upload's whole-file value goes in
 * x-amz-checksum-<algorithm> with x-amz-checksum-type: FULL_OBJECT, and storage checks it against the
 * parts' CRCs combined.
 */
export function completeAssembly(
  algorithm: RouteChecksumAlgorithm,
  planned: readonly StoragePart[],
  clientParts: CompleteRequest["parts"],
  whole: string | undefined,
): { parts: CompletedPart[]; headers: Record<string, string> } {
  const claimed = new Map((clientParts ?? []).map((p) => [p.partNumber, p[algorithm]]));
  const values = planned.map((p) => p[algorithm] ?? claimed.get(p.partNumber));
  const complete = values.every((v) => v !== undefined);
  const parts = planned.map(({ partNumber, etag }, i) => ({
    partNumber,
    etag,
    ...(complete && { checksum: { element: ELEMENT[algorithm], value: values[i]! } }),
  }));
  const headers: Record<string, string> =
    whole === undefined || algorithm === "sha256"
      ? {}
      : { [checksumHeader(algorithm)]: whole, "x-amz-checksum-type": "FULL_OBJECT" };
  return { parts, headers };
}
