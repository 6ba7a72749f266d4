import type { ErrorCode } from "../errors.js";
import type { RouteChecksumAlgorithm } from "../protocol.js";

/** A route after config normalization: every size in bytes, every default applied. */
export interface RoutePolicy {
  name: string;
  /** For people, in messages: "Images". */
  label: string;
  /** Allowed type patterns: "image/png", "image/*", "*\/*". */
  types: string[];
  maxSize: number;
  minSize: number;
  maxFiles: number;
  /** URL lifetime in seconds. */
  expiresIn: number;
  checksum: "required" | "optional";
  /** The whole-file checksum declared, signed and verified: "sha256" (default), "crc64nvme" or "crc32c". */
  checksumAlgorithm: RouteChecksumAlgorithm;
  strategy: "auto" | "put" | "post" | "multipart";
  multipartThreshold: number;
  partSize: number;
  sniff: boolean;
  public: boolean;
  keyTemplate: string;
}

/**
 * One thing wrong with a create request. `index` is the file's position in `files`, or -1 for
 * the request as a whole (not a list, empty, too many files); `name` is the file's name when it
 * has a usable one, else "".
 */
export interface FileProblem {
  index: number;
  name: string;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}
