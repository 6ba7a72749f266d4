import type { z } from "zod";
import { UpgateError } from "../../core/errors.js";

export interface ConfigProblem {
  /** "routes.images.maxSize", or "" for the config as a whole. */
  path: string;
  message: string;
}

const ARTICLE = /^[aeiou]/;
const typeName = (value: unknown) =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "a list"
      : typeof value === "object"
        ? "an object"
        : typeof value;
const withArticle = (word: string) => (ARTICLE.test(word) ? `an ${word}` : `a ${word}`);

/**
 * Readable messages for zod's generic issues; schemas that know better say so themselves (their
 * own messages win). Used for every parse of the config, nested ones included.
 */
export function readableIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${issue.expected === "object" ? "an object" : withArticle(String(issue.expected))}, got ${typeName(issue.input)}`;
    case "unrecognized_keys": {
      const keys = issue.keys.map((key) => JSON.stringify(key)).join(", ");
      return `unknown setting${issue.keys.length === 1 ? "" : "s"} ${keys}`;
    }
    case "too_small":
      if (issue.origin === "string")
        return issue.minimum === 1 ? "must not be empty" : `must be at least ${issue.minimum} characters`;
      if (issue.origin === "array") return `must list at least ${issue.minimum}`;
      return `must be ${issue.inclusive ? "at least" : "more than"} ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "string") return `must be at most ${issue.maximum} characters`;
      if (issue.origin === "array") return `must list at most ${issue.maximum}`;
      return `must be ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}`;
    case "invalid_key":
      return issue.issues[0]?.message;
    case "invalid_value":
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}`;
    default:
      return undefined;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function toProblems(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** One CONFIG_INVALID error listing every problem, one per line, with the list in details. */
export function configError(problems: readonly ConfigProblem[]): UpgateError {
  const lines = problems.map((p) => `  - ${p.path ? `${p.path}: ` : ""}${p.message}`);
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return new UpgateError("CONFIG_INVALID", `Invalid upgate config (${count}):\n${lines.join("\n")}`, {
    details: { problems },
  });
}
