import { type StorageClient, StorageError } from "../storage/types.js";
import { checksumExpectation, checksumMismatch } from "./checksum-mismatch.js";
import { normalizeType } from "./content-type.js";
import type { PartChecksums } from "./part-checksums.js";
import { SNIFF_BYTES, sniffObject } from "./sniff.js";
import { unplannedHeader } from "./stored-headers.js";
import { metadataMismatch } from "./stored-metadata.js";
import { type ChecksumExpectation, checkUploadChecksum } from "./upload-checksum.js";

export interface VerifyExpectation {
  key: string;
  /** Declared size in bytes. */
  size: number;
  /** Declared content type (compared lower-case, without parameters). */
  type: string;
  /** Declared SHA-256 of the whole file, base64. */
  sha256?: string;
  /** Multipart: each part's SHA-256 (base64) and planned size, checked against storage's composite or the bytes. */
  parts?: PartChecksums;
  /** The checksums in the route's algorithm (upload-checksum.ts); when given, sha256 and parts are ignored. */
  checksum?: ChecksumExpectation;
  /**
   * Every x-amz-meta-* value the upload URL signed (names without the prefix): the uploader's and
   * the client's and route's. The stored user metadata must be exactly these (storedMetadataProblem).
   */
  metadata: Record<string, string>;
  /** Read the first bytes and check them against the type (signatures.ts). */
  sniff: boolean;
}

export interface VerifyOptions {
  /** How many leading bytes to sniff. Default 4100. */
  sniffBytes?: number;
}

export type VerifyFailureCode =
  | "VERIFY_SIZE_MISMATCH"
  | "VERIFY_TYPE_MISMATCH"
  | "VERIFY_CHECKSUM_MISMATCH"
  | "VERIFY_CONTENT_MISMATCH"
  | "VERIFY_METADATA_MISMATCH"
  | "VERIFY_HEADER_MISMATCH"
  | "UPLOAD_NOT_UPLOADED"
  | "UPLOAD_CHANGED";

export type VerifyResult =
  | {
      ok: true;
      size: number;
      /** The verified type, normalized. */
      type: string;
      etag: string;
      /** Present when checksums were given: who computed the value that matched (storage, or the gateway reading the bytes). */
      checksumVerifiedBy?: "storage" | "gateway";
      /** The checksum verified, in the route's algorithm: the whole file's, or sha256's COMPOSITE "<base64>-N". */
      checksum?: string;
      /** What the sniff recognised (undefined: not sniffed, or no known signature). */
      detectedType?: string;
    }
  | { ok: false; code: VerifyFailureCode; message: string; details: Record<string, unknown> };

function fail(code: VerifyFailureCode, message: string, details: Record<string, unknown>): VerifyResult {
  return { ok: false, code, message, details };
}

/** Storage's 412 to a read with If-Match: the object was replaced after the HEAD. */
const changed = (key: string) =>
  fail("UPLOAD_CHANGED", "the object changed while it was being verified", { key });

const notUploaded = (key: string) =>
  fail("UPLOAD_NOT_UPLOADED", "the object is not in storage: the upload did not happen or was refused", {
    key,
  });

/**
 * Checks an uploaded object against what was declared and signed, cheapest checks first: HEAD for
 * size, type, metadata and the stored system headers (none may be set: see stored-headers.ts); the
 * checksum (storage's, else hashed here); then a ranged GET to sniff the real type. Every read
 * requires the HEAD's ETag (If-Match) and takes the bytes undecoded, so what is judged is exactly
 * the object the HEAD saw, as stored; a 412 there is the UPLOAD_CHANGED verdict. The verdict is a
 * value; storage and network failures are thrown instead, so a caller can retry rather than reject
 * a good upload.
 */
export async function verifyObject(
  storage: StorageClient,
  want: VerifyExpectation,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const { key } = want;
  try {
    const head = await storage.head(key);
    if (!head) return notUploaded(key);
    if (head.size !== want.size) {
      return fail("VERIFY_SIZE_MISMATCH", `stored object is ${head.size} bytes, declared ${want.size}`, {
        expected: want.size,
        actual: head.size,
      });
    }
    const type = normalizeType(want.type);
    const storedType = normalizeType(head.contentType);
    if (storedType !== type) {
      return fail(
        "VERIFY_TYPE_MISMATCH",
        `stored object has type ${storedType || "(none)"}, declared ${type}`,
        {
          expected: type,
          actual: storedType,
        },
      );
    }
    const metadata = metadataMismatch(want.metadata, head.metadata);
    if (metadata) {
      return fail("VERIFY_METADATA_MISMATCH", metadata.message, {
        name: metadata.name,
        expected: metadata.expected,
        actual: metadata.actual,
      });
    }
    const header = unplannedHeader(head);
    if (header) {
      return fail("VERIFY_HEADER_MISMATCH", `stored ${header.name} was not set by the gateway`, {
        header: header.name,
        actual: header.value.slice(0, 200),
      });
    }
    const checksum = await checkUploadChecksum(storage, key, head, checksumExpectation(want));
    if (checksum && !checksum.ok) return checksumMismatch(checksum, checksumExpectation(want).algorithm);
    let detectedType: string | undefined;
    if (want.sniff) {
      const sniffed = await sniffObject(storage, key, type, options.sniffBytes ?? SNIFF_BYTES, {
        ifMatch: head.etag,
      });
      if (!sniffed.ok) {
        return fail("VERIFY_CONTENT_MISMATCH", sniffed.reason, {
          declared: type,
          detected: sniffed.detected ?? null,
          rule: sniffed.kind,
        });
      }
      detectedType = sniffed.detected;
    }
    return {
      ok: true,
      size: head.size,
      type,
      etag: head.etag,
      ...(checksum ? { checksumVerifiedBy: checksum.by, checksum: checksum.value } : {}),
      ...(detectedType ? { detectedType } : {}),
    };
  } catch (err) {
    // Deleted between the HEAD and a read: the same verdict as never uploaded.
    if (err instanceof StorageError && err.code === "NoSuchKey") return notUploaded(key);
    if (err instanceof StorageError && err.status === 412) return changed(key);
    throw err;
  }
}
