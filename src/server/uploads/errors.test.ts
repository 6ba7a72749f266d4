import { describe, expect, it } from "vitest";
import type { FileProblem } from "../../core/policy/route.js";
import { policyError } from "./errors.js";

const problem = (code: FileProblem["code"], index = 0): FileProblem => ({
  index,
  name: `f${index}`,
  code,
  message: `${code} ${index}`,
});

describe("policyError", () => {
  it("keeps a single problem's code and message", () => {
    const err = policyError([problem("POLICY_TYPE_NOT_ALLOWED")]);
    expect([err.code, err.status, err.message]).toEqual([
      "POLICY_TYPE_NOT_ALLOWED",
      400,
      "POLICY_TYPE_NOT_ALLOWED 0",
    ]);
  });

  it("keeps a shared code, prefers 413 when any file is too large, else VALIDATION_FAILED", () => {
    expect(policyError([problem("POLICY_TOO_SMALL"), problem("POLICY_TOO_SMALL", 1)]).code).toBe(
      "POLICY_TOO_SMALL",
    );
    const mixed = policyError([problem("POLICY_TYPE_NOT_ALLOWED"), problem("POLICY_TOO_LARGE", 1)]);
    expect([mixed.code, mixed.status]).toEqual(["POLICY_TOO_LARGE", 413]);
    expect(policyError([problem("POLICY_TYPE_NOT_ALLOWED"), problem("VALIDATION_FAILED", 1)]).code).toBe(
      "VALIDATION_FAILED",
    );
  });

  it("lists every problem in details and the first few in the message", () => {
    const many = Array.from({ length: 7 }, (_, i) => problem("POLICY_TOO_SMALL", i));
    const err = policyError(many);
    expect(err.details).toEqual({ problems: many });
    expect(err.message).toMatch(/^7 problems: .*\(and 2 more\)$/);
  });
});
