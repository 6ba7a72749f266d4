import type { ObjectMeta } from "../backend/types.js";
import { type ChecksumType, checksumSpec, checksumTypeOf } from "./algorithms.js";

export { checksumTypeOf };

/** Checksum values as S3's XML elements (ChecksumCRC32...), for every algorithm the store knows. */
export function checksumElements(checksums: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(checksums)) {
    const spec = checksumSpec(name);
    if (spec) out[spec.element] = value;
  }
  return out;
}

/** x-amz-checksum-<algorithm> and x-amz-checksum-type for these values (none when there are none). */
export function checksumResponseHeaders(
  checksums: Record<string, string>,
  type: ChecksumType,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(checksums)) out[`x-amz-checksum-${name}`] = value;
  if (Object.keys(out).length > 0) out["x-amz-checksum-type"] = type;
  return out;
}

/**
 * The checksums a GET or HEAD with x-amz-checksum-mode: ENABLED carries: the object's for a whole
 * read; for a read of part N of a multipart object, that part's own checksum, with the object's
 * type, as S3 answers; nothing for a byte range, which no stored checksum describes.
 */
export function readChecksumHeaders(
  meta: ObjectMeta,
  read: { whole: true } | { partNumber: number } | { range: true },
): Record<string, string> {
  const type = checksumTypeOf(meta.checksums, meta.checksumType);
  if ("whole" in read) return checksumResponseHeaders(meta.checksums, type);
  if ("partNumber" in read) {
    const part = meta.partChecksums?.[read.partNumber - 1];
    return part ? checksumResponseHeaders(part, type) : {};
  }
  return {};
}
