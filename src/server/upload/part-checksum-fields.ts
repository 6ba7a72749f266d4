import type { PartsResponse, RouteChecksumAlgorithm } from "../../core/protocol.js";
import type { StoragePart } from "../storage/types.js";

/**
 * A stored part as PartsResponse.uploaded lists it: number, size, ETag and the checksum storage kept
 * for it in the upload's algorithm (in that algorithm's field), when it kept one.
 */
export function uploadedPart(
  part: StoragePart,
  algorithm: RouteChecksumAlgorithm,
): PartsResponse["uploaded"][number] {
  const checksum = part[algorithm];
  return {
    partNumber: part.partNumber,
    size: part.size,
    etag: part.etag,
    ...(checksum === undefined ? {} : { [algorithm]: checksum }),
  };
}
