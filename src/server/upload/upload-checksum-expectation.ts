import type { UploadRow } from "../ledger/types.js";
import type { ChecksumExpectation } from "../verify/upload-checksum.js";
import type { CompleteChecksums } from "./multipart-checksums.js";

/**
 * What an upload's bytes must hash to, in its route's algorithm: the whole-file value declared at
 * create (signed into the PUT or form), else the one a CRC multipart upload's Complete gave, and the
 * parts' values from the complete request.
 */
export function uploadChecksumExpectation(row: UploadRow, given?: CompleteChecksums): ChecksumExpectation {
  const whole = row.checksum ?? row.sha256 ?? given?.whole;
  return {
    algorithm: row.checksumAlgorithm,
    ...(whole !== null && whole !== undefined && { whole }),
    ...(given?.parts && { parts: given.parts }),
  };
}
