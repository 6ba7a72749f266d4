import {
  checksumHeader,
  MULTIPART_CHECKSUM_TYPE,
  S3_ALGORITHM,
} from "../../core/policy/checksum-algorithm.js";
import type { RouteChecksumAlgorithm } from "../../core/protocol.js";
import type { NewUpload } from "../ledger/types.js";

/**
 * The signed x-amz-checksum-<algorithm> of a single PUT or POST form: the whole-file value the client
 * declared, in the route's algorithm. Storage refuses any other body (400 BadDigest) where it checks
 * checksums; verification compares what it kept (or, where it keeps none, the bytes) with it.
 */
export function declaredChecksumHeader(
  row: Pick<NewUpload, "checksumAlgorithm" | "checksum" | "sha256">,
): Record<string, string> {
  const algorithm = row.checksumAlgorithm ?? "sha256";
  const value = row.checksum ?? (algorithm === "sha256" ? row.sha256 : null);
  return value === null || value === undefined ? {} : { [checksumHeader(algorithm)]: value };
}

/**
 * CreateMultipartUpload's checksum headers: SHA-256 as COMPOSITE (S3 keeps "<sha256 of the part
 * sha256s>-N"), the CRCs as FULL_OBJECT (S3 combines the part CRCs into the whole file's CRC and checks
 * the value Complete gives). Either way storage keeps a checksum that HEAD returns, so completion
 * reads no object bytes to check it.
 */
export function multipartChecksumHeaders(algorithm: RouteChecksumAlgorithm): Record<string, string> {
  return {
    "x-amz-checksum-algorithm": S3_ALGORITHM[algorithm],
    "x-amz-checksum-type": MULTIPART_CHECKSUM_TYPE[algorithm],
  };
}

/**
 * Whether storage refuses a part of this upload that binds no checksum: one created COMPOSITE
 * (SHA-256) checks every part against its own x-amz-checksum-sha256, and S3 answers a part without
 * one 400 InvalidRequest ("Checksum Type mismatch occurred, expected checksum Type: sha256, actual
 * checksum type: null"). FULL_OBJECT uploads (the CRCs) take parts without one. Read from the
 * headers CreateMultipartUpload is sent with, so what the gateway asks storage for and what it
 * tells the client cannot disagree.
 */
export function partsNeedChecksum(createHeaders: Readonly<Record<string, string>>): boolean {
  return createHeaders["x-amz-checksum-type"] === "COMPOSITE";
}
