import { createHash } from "node:crypto";
import { type Checksum, createChecksum, isChecksumAlgorithm } from "../../core/sigv4/checksums.js";
import { fromBase64 } from "../../core/sigv4/crypto.js";
import type { StagedObject } from "../backend/types.js";
import { S3Error } from "../errors.js";
import type { FileSink } from "../post-form.js";

export interface PostedFile {
  size: number;
  /** Quoted md5 hex. */
  etag: string;
  /** Verified checksums (base64) by algorithm. */
  checksums: Record<string, string>;
}

const CHECKSUM_FIELD = "x-amz-checksum-";
/** Past the limit the file is still counted (not stored) this far, to report its real size. */
const COUNT_BEYOND_LIMIT = 16 * 1024 * 1024;

/** The x-amz-checksum-<alg> form fields, each to be verified against the file. */
export function declaredChecksums(
  fields: Map<string, string>,
): Map<string, { expected: string; hasher: Checksum }> {
  const out = new Map<string, { expected: string; hasher: Checksum }>();
  for (const [name, value] of fields) {
    if (
      !name.startsWith(CHECKSUM_FIELD) ||
      name === "x-amz-checksum-algorithm" ||
      name === "x-amz-checksum-type"
    ) {
      continue;
    }
    const alg = name.slice(CHECKSUM_FIELD.length);
    if (!isChecksumAlgorithm(alg))
      throw new S3Error("InvalidRequest", `The checksum algorithm ${alg} is not supported.`);
    if (!fromBase64(value)) throw new S3Error("InvalidRequest", `Value for ${name} header is invalid.`);
    out.set(alg, { expected: value, hasher: createChecksum(alg) });
  }
  return out;
}

/**
 * Streams the file into the staged object while enforcing content-length-range (inclusive) and
 * hashing it; end() verifies the minimum size and every declared checksum. Bytes past the maximum
 * are never stored.
 */
export function postFileSink(
  staged: StagedObject,
  range: { min: number; max: number },
  checksums: Map<string, { expected: string; hasher: Checksum }>,
): FileSink<PostedFile> {
  const md5 = createHash("md5");
  let size = 0;
  let overLimit = false;
  const tooLarge = () =>
    new S3Error("EntityTooLarge", undefined, [
      ["ProposedSize", String(size)],
      ["MaxSizeAllowed", String(range.max)],
    ]);
  return {
    async write(chunk) {
      size += chunk.length;
      if (size > range.max) {
        if (!overLimit) {
          overLimit = true;
          await staged.abort();
        }
        if (size > range.max + COUNT_BEYOND_LIMIT) throw tooLarge();
        return;
      }
      md5.update(chunk);
      for (const c of checksums.values()) c.hasher.update(chunk);
      await staged.write(chunk);
    },
    async end() {
      if (overLimit) throw tooLarge();
      if (size < range.min) {
        throw new S3Error("EntityTooSmall", undefined, [
          ["ProposedSize", String(size)],
          ["MinSizeAllowed", String(range.min)],
        ]);
      }
      const verified: Record<string, string> = {};
      for (const [alg, { expected, hasher }] of checksums) {
        if ((await hasher.digestBase64()) !== expected) {
          throw new S3Error(
            "BadDigest",
            `The ${alg.toUpperCase()} you specified did not match the calculated checksum.`,
          );
        }
        verified[alg] = expected;
      }
      return { size, etag: `"${md5.digest("hex")}"`, checksums: verified };
    },
  };
}
