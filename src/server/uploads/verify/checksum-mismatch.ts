import type { VerifyExpectation, VerifyObjectResult } from "./expectation.js";
import type { ChecksumExpectation, ChecksumVerdict } from "./upload-checksum.js";

const NAMES = { sha256: "SHA-256", crc64nvme: "CRC64NVME", crc32c: "CRC32C" } as const;

/** The expectation's checksums in one shape: `checksum` when given, else the sha256 and part SHA-256s. */
export function checksumExpectation(want: VerifyExpectation): ChecksumExpectation {
  if (want.checksum) return want.checksum;
  return {
    algorithm: "sha256",
    ...(want.sha256 !== undefined && { whole: want.sha256 }),
    ...(want.parts && { parts: { values: want.parts.sha256s, sizes: want.parts.sizes } }),
  };
}

/** The VERIFY_CHECKSUM_MISMATCH verdict for a failed checksum check, naming the part when known. */
export function checksumMismatch(
  check: Extract<ChecksumVerdict, { ok: false }>,
  algorithm: keyof typeof NAMES = "sha256",
): Extract<VerifyObjectResult, { ok: false }> {
  const { by, expected, actual, partNumber, composite } = check;
  const name = NAMES[algorithm];
  const perPart = partNumber !== undefined || composite;
  const message = perPart
    ? `the stored bytes do not have the parts' ${name}s${partNumber === undefined ? "" : ` (part ${partNumber})`}`
    : `the stored bytes do not have the declared ${name}`;
  return {
    ok: false,
    code: "VERIFY_CHECKSUM_MISMATCH",
    message,
    details: {
      expected,
      actual,
      checksumVerifiedBy: by,
      ...(partNumber !== undefined && { partNumber }),
      ...(composite && { composite: true }),
    },
  };
}
