import { renderTable } from "../output.js";
import type { CheckResult } from "./types.js";

const LABEL = { pass: "PASS", warn: "WARN", fail: "FAIL", skip: "skip" } as const;

/** The pass/fail table, then one "fix" line per failure or warning. */
export function renderReport(results: readonly CheckResult[]): string {
  const table = renderTable(
    ["check", "result", "detail"],
    results.map((r) => [r.name, LABEL[r.status], r.detail]),
  );
  const fixes = results
    .filter((r) => r.fix !== undefined && (r.status === "fail" || r.status === "warn"))
    .map((r) => `${LABEL[r.status]} ${r.name}: fix: ${r.fix}`);
  const failed = results.filter((r) => r.status === "fail").length;
  const warned = results.filter((r) => r.status === "warn").length;
  const summary = failed
    ? `${failed} check${failed === 1 ? "" : "s"} failed`
    : `all checks passed${warned ? ` (${warned} warning${warned === 1 ? "" : "s"})` : ""}`;
  return [table, ...(fixes.length ? ["", ...fixes] : []), "", summary].join("\n");
}
