import type { ObjectAttributes } from "../backend/types.js";
import { type ChecksumName, checksumSpec, type StreamingChecksum } from "./algorithms.js";
import { checksumTypeMismatch, storedUploadChecksum } from "./upload-checksum.js";

const PREFIX = "x-amz-checksum-";
const NOT_ALGORITHMS = new Set(["mode", "type", "algorithm"]);

/** The algorithms a request sends checksums for, as headers or announced trailers. */
export function declaredChecksumNames(headers: Map<string, string>): string[] {
  const names = new Set<string>();
  for (const name of headers.keys()) {
    const alg = name.startsWith(PREFIX) ? name.slice(PREFIX.length) : "";
    if (alg !== "" && !NOT_ALGORITHMS.has(alg)) names.add(alg);
  }
  for (const trailer of (headers.get("x-amz-trailer") ?? "").split(",")) {
    const name = trailer.trim().toLowerCase();
    if (name.startsWith(PREFIX)) names.add(name.slice(PREFIX.length));
  }
  return [...names];
}

/** What UploadPart stores as the part's checksums, given the upload's algorithm. */
export interface PartChecksums {
  /** The body sink, wrapped to compute the upload's checksum when the request sends none. */
  wrap(sink: (chunk: Uint8Array) => Promise<void>): (chunk: Uint8Array) => Promise<void>;
  /** The part's checksums: the verified ones the request sent, or the one computed here. */
  result(verified: Record<string, string>): Record<string, string>;
}

/**
 * UploadPart to an upload created with a checksum algorithm: a checksum of another algorithm is S3's
 * InvalidRequest "Checksum Type mismatch"; a COMPOSITE upload needs each part's checksum from the
 * client, while a FULL_OBJECT one computes it when the request sends none, as S3 does. Uploads
 * created without an algorithm keep whatever checksums the parts carry.
 */
export function partChecksums(attributes: ObjectAttributes, headers: Map<string, string>): PartChecksums {
  const upload = storedUploadChecksum(attributes);
  const declared = declaredChecksumNames(headers);
  let computing: StreamingChecksum | undefined;
  if (upload) {
    const other = declared.find((name) => name !== upload.spec.name);
    if (other !== undefined)
      throw checksumTypeMismatch(upload.spec, checksumSpec(other)?.name ?? (other as ChecksumName));
    if (declared.length === 0) {
      if (upload.type === "COMPOSITE") throw checksumTypeMismatch(upload.spec, undefined);
      computing = upload.spec.create();
    }
  }
  return {
    wrap: (sink) =>
      computing
        ? (chunk) => {
            computing!.update(chunk);
            return sink(chunk);
          }
        : sink,
    result: (verified) =>
      computing && upload ? { ...verified, [upload.spec.name]: computing.digestBase64() } : verified,
  };
}
