/**
 * The adversarial catalogue's summary: per family, how many cases ran, how many were refused
 * exactly as expected (with the world unchanged and every extra check passing), and how many left
 * something stored or changed. Pure functions, so the counting is unit-tested.
 */
import { FAMILIES } from "../test/adversarial/support/case.js";
import type { CaseResult } from "../test/adversarial/support/runner.js";
import { table } from "./doc-sections.js";

export interface FamilyRow {
  family: string;
  cases: number;
  refused: number;
  stored: number;
}

export interface Summary {
  rows: FamilyRow[];
  total: FamilyRow;
  /** Cases that were not refused as expected (wrong answer, changed state, failed check, crash). */
  failed: Array<{ family: string; name: string; why: string }>;
}

/** Parses the runner's .jsonl lines (blank lines ignored). */
export function parseResults(text: string): CaseResult[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CaseResult);
}

export function summarize(results: readonly CaseResult[]): Summary {
  const byFamily = new Map<string, FamilyRow>();
  const failed: Summary["failed"] = [];
  for (const r of results) {
    const row = byFamily.get(r.family) ?? { family: r.family, cases: 0, refused: 0, stored: 0 };
    byFamily.set(r.family, row);
    row.cases += 1;
    const ok = r.refused && !r.changed;
    if (ok) row.refused += 1;
    if (r.changed) row.stored += 1;
    if (!ok) {
      const got = r.got ? `got ${r.got.status} ${r.got.code}` : "no answer";
      failed.push({
        family: r.family,
        name: r.name,
        why: r.error ?? (r.changed ? `state changed (${got})` : got),
      });
    }
  }
  const order = (family: string) => {
    const i = (FAMILIES as readonly string[]).indexOf(family);
    return i === -1 ? FAMILIES.length : i;
  };
  const rows = [...byFamily.values()].sort(
    (a, b) => order(a.family) - order(b.family) || a.family.localeCompare(b.family),
  );
  const total = rows.reduce(
    (t, r) => ({
      family: "total",
      cases: t.cases + r.cases,
      refused: t.refused + r.refused,
      stored: t.stored + r.stored,
    }),
    { family: "total", cases: 0, refused: 0, stored: 0 },
  );
  return { rows, total, failed };
}

export function renderTable(summary: Summary): string {
  const line = (r: FamilyRow, bold = false) => {
    const cell = (v: string | number) => (bold ? `**${v}**` : v);
    return [cell(r.family), cell(r.cases), cell(r.refused), cell(r.stored)];
  };
  return table(
    ["family", "cases", "refused correctly", "stored by mistake"],
    [...summary.rows.map((r) => line(r)), line(summary.total, true)],
  );
}

/** Why the run fails, or [] when it passes. */
export function problems(summary: Summary, minCases: number, vitestExitCode: number | null): string[] {
  const out: string[] = [];
  if (vitestExitCode !== 0) out.push(`vitest exited with ${vitestExitCode}`);
  if (summary.failed.length > 0) out.push(`${summary.failed.length} case(s) not refused as expected`);
  if (summary.total.stored > 0) out.push(`${summary.total.stored} case(s) stored or changed something`);
  if (summary.total.cases < minCases)
    out.push(`only ${summary.total.cases} cases ran; at least ${minCases} are required`);
  return out;
}
