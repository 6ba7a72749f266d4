import type { ObjectAttributes, PartInfo } from "../backend/types.js";
import { S3Error } from "../errors.js";
import {
  CHECKSUM_NAMES,
  type ChecksumSpec,
  type ChecksumType,
  checksumSpec,
  compositeChecksum,
  fullObjectChecksum,
  isChecksumValue,
} from "./algorithms.js";
import { declaredChecksumNames } from "./part-checksum.js";
import { checksumTypeMismatch, storedUploadChecksum, type UploadChecksum } from "./upload-checksum.js";

/** A part as the CompleteMultipartUpload document lists it. */
export interface PlannedPart {
  partNumber: number;
  etag: string;
  /** Checksum elements given for the part (ChecksumSHA256...), by algorithm. */
  checksums: Record<string, string>;
}

/** What completion stores about the object's checksums. */
export interface CompletedChecksums {
  checksums: Record<string, string>;
  partChecksums: Record<string, string>[];
}

/** A part's checksum elements in the Complete document, by algorithm. */
export function plannedChecksums(text: (element: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of CHECKSUM_NAMES) {
    const value = text(checksumSpec(name)!.element)?.trim();
    if (value !== undefined) out[name] = value;
  }
  return out;
}

const invalid = (message: string) => new S3Error("InvalidRequest", message);

function invalidPart(uploadId: string, part: PlannedPart): S3Error {
  return new S3Error("InvalidPart", undefined, [
    ["UploadId", uploadId],
    ["PartNumber", String(part.partNumber)],
    ["ETag", part.etag],
  ]);
}

/** Each checksum listed for a part must be the one the part was stored with (else InvalidPart). */
function checkPlannedParts(
  uploadId: string,
  upload: UploadChecksum | undefined,
  plan: readonly PlannedPart[],
  parts: readonly PartInfo[],
): void {
  plan.forEach((planned, i) => {
    for (const [name, value] of Object.entries(planned.checksums)) {
      if (parts[i]!.checksums[name] !== value) throw invalidPart(uploadId, planned);
    }
    if (upload?.type === "COMPOSITE" && planned.checksums[upload.spec.name] === undefined) {
      throw invalid(
        `The upload was created using a ${upload.spec.name} checksum. The complete request must include the checksum for each part. It was missing for part ${planned.partNumber} in the request.`,
      );
    }
  });
}

/** The x-amz-checksum-type header of Complete must repeat the upload's type. */
function checkTypeHeader(headers: Map<string, string>, upload: UploadChecksum | undefined): void {
  const text = headers.get("x-amz-checksum-type");
  if (text === undefined) return;
  const type = text.toUpperCase();
  if (type !== "COMPOSITE" && type !== "FULL_OBJECT")
    throw invalid("Value for x-amz-checksum-type header is invalid.");
  if (upload && type !== upload.type) {
    throw invalid(
      `The upload was created using the ${upload.type} checksum mode. The complete request must use the same checksum mode.`,
    );
  }
}

/** The whole-object checksum header of Complete, if any: one, well-formed, of the upload's algorithm. */
function expectedObjectChecksum(
  headers: Map<string, string>,
  upload: UploadChecksum | undefined,
): { spec: ChecksumSpec; value: string } | undefined {
  const names = declaredChecksumNames(headers).filter((n) => headers.has(`x-amz-checksum-${n}`));
  if (names.length === 0) return undefined;
  if (names.length > 1)
    throw invalid("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  const name = names[0]!;
  const spec = checksumSpec(name);
  if (!spec) throw invalid(`The checksum algorithm ${name} is not supported.`);
  const value = headers.get(`x-amz-checksum-${name}`)!;
  if (!isChecksumValue(spec, value.replace(/-\d{1,5}$/, "")))
    throw invalid(`Value for x-amz-checksum-${name} header is invalid.`);
  if (upload && upload.spec.name !== name) throw checksumTypeMismatch(upload.spec, spec.name);
  return { spec, value };
}

/** The object checksum of an upload created with an algorithm, from the stored part checksums. */
function objectChecksum(
  uploadId: string,
  upload: UploadChecksum,
  plan: readonly PlannedPart[],
  parts: readonly PartInfo[],
): string {
  const name = upload.spec.name;
  const missing = parts.findIndex((p) => p.checksums[name] === undefined);
  if (missing !== -1) throw invalidPart(uploadId, plan[missing]!);
  if (upload.type === "COMPOSITE") {
    return compositeChecksum(
      upload.spec,
      parts.map((p) => p.checksums[name]!),
    );
  }
  return fullObjectChecksum(
    upload.spec,
    parts.map((p) => ({ checksum: p.checksums[name]!, size: p.size })),
  );
}

/**
 * Uploads created without an algorithm: the composite SHA-256 when every part was stored with a
 * verified SHA-256, so a client that signs every part's SHA-256 gets a verifiable object checksum.
 */
function legacyChecksums(parts: readonly PartInfo[]): Record<string, string> {
  const digests = parts.map((p) => p.checksums.sha256);
  if (parts.length === 0 || digests.some((d) => d === undefined)) return {};
  return { sha256: compositeChecksum(checksumSpec("sha256")!, digests as string[]) };
}

/** A COMPOSITE value may be given with or without its "-N" part count. */
function matches(expected: string, actual: string | undefined, type: ChecksumType): boolean {
  if (actual === undefined) return false;
  if (type === "FULL_OBJECT" || /-\d+$/.test(expected)) return expected === actual;
  return expected === actual.replace(/-\d+$/, "");
}

/**
 * CompleteMultipartUpload's checksum rules, as S3 applies them: the type header repeats the
 * upload's, the part checksums listed are the stored ones (COMPOSITE uploads must list each), and
 * an x-amz-checksum-<algorithm> header is the object checksum the client expects (BadDigest when
 * it differs). Returns the object's checksums and the assembled parts' checksums to keep.
 */
export function completeChecksums(
  uploadId: string,
  attributes: ObjectAttributes,
  headers: Map<string, string>,
  plan: readonly PlannedPart[],
  parts: readonly PartInfo[],
): CompletedChecksums {
  const upload = storedUploadChecksum(attributes);
  checkTypeHeader(headers, upload);
  const expected = expectedObjectChecksum(headers, upload);
  checkPlannedParts(uploadId, upload, plan, parts);
  const checksums = upload
    ? { [upload.spec.name]: objectChecksum(uploadId, upload, plan, parts) }
    : legacyChecksums(parts);
  if (expected) {
    const actual = checksums[expected.spec.name];
    if (!upload && actual === undefined && expected.spec.name !== "sha256") {
      throw invalid(
        `Checksum Type mismatch occurred, expected checksum Type: null, actual checksum Type: ${expected.spec.wire}`,
      );
    }
    if (!matches(expected.value, actual, upload?.type ?? "COMPOSITE")) {
      throw new S3Error(
        "BadDigest",
        `The ${expected.spec.wire} you specified did not match the calculated checksum.`,
      );
    }
  }
  return { checksums, partChecksums: parts.map((p) => ({ ...p.checksums })) };
}
