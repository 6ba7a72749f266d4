import type { ErrorCode } from "../errors.js";
import type { FileDeclaration, RouteChecksumAlgorithm } from "../protocol.js";
import { checkFile } from "./file-check.js";

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

export interface FilesCheck {
  /** The valid declarations, normalized (type lower-cased, without parameters), in order. */
  files: FileDeclaration[];
  /** Every problem found; the request must be refused unless this is empty. */
  problems: FileProblem[];
}

/**
 * Validates the `files` of a create request against a route, strictly: its JSON shape, and per
 * file the name, type, size, checksum and metadata. Every problem of every file is reported, so
 * one answer tells the client all it must fix. When `problems` is empty, `files[i]` is the
 * normalized declaration of input file i.
 */
export function checkFiles(route: RoutePolicy, files: unknown): FilesCheck {
  const whole = (code: ErrorCode, message: string, details?: Record<string, unknown>): FilesCheck => ({
    files: [],
    problems: [{ index: -1, name: "", code, message, ...(details && { details }) }],
  });
  if (!Array.isArray(files)) {
    return whole("VALIDATION_FAILED", "files must be a list of file declarations ({ name, type, size })");
  }
  if (files.length === 0) return whole("VALIDATION_FAILED", "files is empty: declare at least one file");
  if (files.length > route.maxFiles) {
    // Checked before the files themselves, so a huge list costs nothing.
    const most = route.maxFiles === 1 ? "1 file" : `${route.maxFiles} files`;
    return whole(
      "POLICY_TOO_MANY_FILES",
      `${files.length} files declared; ${route.label} accepts at most ${most} per request`,
      { count: files.length, maxFiles: route.maxFiles },
    );
  }
  const valid: FileDeclaration[] = [];
  const problems: FileProblem[] = [];
  files.forEach((raw, index) => {
    const result = checkFile(route, raw, index);
    if (result.file) valid.push(result.file);
    problems.push(...result.problems);
  });
  return { files: valid, problems };
}
