/** What verification is given to check a stored object against, and what it answers. */
import type { PartChecksums } from "./part-checksums.js";
import type { ChecksumExpectation } from "./upload-checksum.js";

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

export interface VerifyObjectOptions {
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

export type VerifyObjectResult =
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
