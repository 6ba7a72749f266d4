import type { ErrorCode } from "../errors.js";
import type { FileDeclaration } from "../protocol.js";
import { checkFile } from "./file-check.js";
import type { FileProblem, RoutePolicy } from "./route-policy.js";

export type { FileProblem, RoutePolicy } from "./route-policy.js";

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
