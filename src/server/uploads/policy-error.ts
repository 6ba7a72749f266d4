import type { ErrorCode } from "../../core/errors.js";
import { UpgateError } from "../../core/errors.js";
import type { FileProblem } from "../../core/policy/route.js";

const MAX_LISTED = 5;

/**
 * One error for every problem of a create request. The code is the problems' own when they share
 * one; else POLICY_TOO_LARGE (413) when any file is too large, as the most relevant; else
 * VALIDATION_FAILED. details.problems lists them all, by file.
 */
export function policyError(problems: readonly FileProblem[]): UpgateError {
  const codes = new Set<ErrorCode>(problems.map((p) => p.code));
  const code: ErrorCode =
    codes.size === 1
      ? problems[0]!.code
      : codes.has("POLICY_TOO_LARGE")
        ? "POLICY_TOO_LARGE"
        : "VALIDATION_FAILED";
  const listed = problems.slice(0, MAX_LISTED).map((p) => p.message);
  const more = problems.length > MAX_LISTED ? ` (and ${problems.length - MAX_LISTED} more)` : "";
  const message =
    problems.length === 1 ? listed[0]! : `${problems.length} problems: ${listed.join("; ")}${more}`;
  return new UpgateError(code, message, { details: { problems } });
}
