import { S3Error } from "../errors.js";
import { type ChecksumName, type ChecksumSpec, type ChecksumType, checksumSpec } from "./algorithms.js";

/** The checksum a multipart upload was created with. */
export interface UploadChecksum {
  spec: ChecksumSpec;
  type: ChecksumType;
}

const invalid = (message: string) => new S3Error("InvalidRequest", message);

/**
 * x-amz-checksum-algorithm and x-amz-checksum-type on CreateMultipartUpload, checked as S3 checks
 * them: the type needs an algorithm, defaults to FULL_OBJECT for CRC64NVME and COMPOSITE otherwise,
 * and must be one the algorithm supports (no COMPOSITE CRC64NVME, no FULL_OBJECT SHA).
 */
export function uploadChecksumOf(headers: Map<string, string>): UploadChecksum | undefined {
  const algorithm = headers.get("x-amz-checksum-algorithm");
  const typeText = headers.get("x-amz-checksum-type");
  let type: ChecksumType | undefined;
  if (typeText !== undefined) {
    const upper = typeText.toUpperCase();
    if (upper !== "COMPOSITE" && upper !== "FULL_OBJECT")
      throw invalid("Value for x-amz-checksum-type header is invalid.");
    type = upper;
  }
  if (algorithm === undefined) {
    if (type !== undefined)
      throw invalid(
        "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.",
      );
    return undefined;
  }
  const spec = checksumSpec(algorithm.toLowerCase());
  if (!spec) throw invalid(`Checksum algorithm ${algorithm} is not supported.`);
  const chosen = type ?? spec.types[0]!;
  if (!spec.types.includes(chosen)) {
    throw invalid(`The ${chosen} checksum type cannot be used with the ${spec.name} checksum algorithm.`);
  }
  return { spec, type: chosen };
}

/** The upload's checksum as its stored attributes record it, if it was created with one. */
export function storedUploadChecksum(attributes: {
  checksumAlgorithm?: string;
  checksumType?: ChecksumType;
}): UploadChecksum | undefined {
  const spec = attributes.checksumAlgorithm ? checksumSpec(attributes.checksumAlgorithm) : undefined;
  if (!spec) return undefined;
  return { spec, type: attributes.checksumType ?? spec.types[0]! };
}

/** S3's answer to a checksum of another algorithm than the upload's ("null": none was sent). */
export function checksumTypeMismatch(expected: ChecksumSpec, actual: ChecksumName | undefined): S3Error {
  const actualWire = actual ? (checksumSpec(actual)?.wire ?? actual.toUpperCase()) : "null";
  return invalid(
    `Checksum Type mismatch occurred, expected checksum Type: ${expected.wire}, actual checksum Type: ${actualWire}`,
  );
}

/** ListParts' ChecksumAlgorithm and ChecksumType elements for an upload created with a checksum. */
export function uploadChecksumElements(attributes: {
  checksumAlgorithm?: string;
  checksumType?: ChecksumType;
}): Record<string, string> {
  const upload = storedUploadChecksum(attributes);
  return upload ? { ChecksumAlgorithm: upload.spec.wire, ChecksumType: upload.type } : {};
}
