/**
 * The fault tests' totals. Each test adds its tally here; when UPGATE_FAULTS_REPORT names a file
 * (scripts/faults.ts sets it), the totals are appended to it as one JSON line per suite.
 */
import { appendFileSync } from "node:fs";
import type { FaultTally } from "./model.js";

/** Set by `npm run faults`: many more kills per phase than inside `npm test`. */
export const LONG = process.env.UPGATE_FAULTS_LONG === "1";
/** How many times each fault other than a kill is injected. */
export const FAULT_ROUNDS = LONG ? 5 : 1;
/** " (round n)" in a test's name when faults repeat. */
export const roundName = (round: number) => (FAULT_ROUNDS > 1 ? ` (round ${round + 1})` : "");

export interface SuiteTotals extends FaultTally {
  suite: string;
}

export function recordTotals(suite: string, tally: FaultTally): void {
  const file = process.env.UPGATE_FAULTS_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify({ suite, ...tally } satisfies SuiteTotals)}\n`);
}

/** One line for the test log. */
export function describeTally(suite: string, t: FaultTally): string {
  return (
    `${suite}: ${t.kills} kills (${t.killsSurvived} survived), ${t.faultsInjected} faults injected (${t.faultsSurvived} survived), ` +
    `${t.acknowledged} requests answered, ${t.interrupted} cut off, ${t.sweepsCut} sweeps cut, ` +
    `${t.completesRetried} completes retried, ${t.objectsVerified} verified objects re-read intact; ` +
    `objects lost or corrupted: ${t.lostOrCorrupted.length}; other problems: ${t.problems.length}`
  );
}
