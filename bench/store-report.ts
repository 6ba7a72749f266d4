/** bench:store's table and goals. */
import type { Durability, ServerKind } from "./store-config.js";
import { PHASES, type Phase, type PhaseResult } from "./store-measure.js";

export type Results = Record<Durability, Partial<Record<ServerKind, Record<Phase, PhaseResult>>>>;

const MB = 1e6;
const LARGE_RSS_LIMIT = 150 * MB;
const FLOOR_SHARE = 0.7;

const mbps = (r: PhaseResult) => r.bytes / MB / r.seconds;
const ops = (r: PhaseResult) => r.objects / r.seconds;
/** The figure rows are compared on: MB/s for large objects, objects/s for small ones. */
const rate = (phase: Phase, r: PhaseResult) => (phase.startsWith("large") ? mbps(r) : ops(r));

function cell(phase: Phase, r: PhaseResult | undefined): string {
  if (!r) return "-";
  const mb = `${mbps(r).toFixed(1)} MB/s`;
  return phase.startsWith("large") ? mb : `${ops(r).toFixed(0)} obj/s (${mb})`;
}

const rss = (r: PhaseResult | undefined) => (r ? `${(r.peakRss / MB).toFixed(0)}` : "-");

function ratio(phase: Phase, a: PhaseResult | undefined, b: PhaseResult | undefined): string {
  return a && b ? (rate(phase, a) / rate(phase, b)).toFixed(2) : "-";
}

function rowName(phase: Phase, largeBytes: number, smallCount: number, smallBytes: number): string {
  const large = `${(largeBytes / 1024 / 1024).toFixed(0)} MiB`;
  const small = `${smallCount} x ${(smallBytes / 1024).toFixed(0)} KiB`;
  return `${phase.endsWith("Put") ? "PUT" : "GET"} ${phase.startsWith("large") ? large : small}`;
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
}

export function printTable(
  results: Results,
  largeBytes: number,
  smallCount: number,
  smallBytes: number,
): void {
  const header = [
    "durability",
    "row",
    "floor",
    "ours",
    "s3rver",
    "ours/floor",
    "ours/s3rver",
    "peak RSS MB floor/ours/s3rver",
  ];
  const rows: string[][] = [];
  for (const durability of Object.keys(results) as Durability[]) {
    const { floor, ours, s3rver } = results[durability];
    for (const phase of PHASES) {
      rows.push([
        durability,
        rowName(phase, largeBytes, smallCount, smallBytes),
        cell(phase, floor?.[phase]),
        cell(phase, ours?.[phase]),
        cell(phase, s3rver?.[phase]),
        ratio(phase, ours?.[phase], floor?.[phase]),
        ratio(phase, ours?.[phase], s3rver?.[phase]),
        `${rss(floor?.[phase])} / ${rss(ours?.[phase])} / ${rss(s3rver?.[phase])}`,
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(pad(header, widths));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(pad(row, widths));
}

/** Each goal with whether it holds; prints them and returns true when all hold. */
export function printGoals(results: Results): boolean {
  const goals: Array<[string, boolean]> = [];
  for (const durability of Object.keys(results) as Durability[]) {
    const { floor, ours, s3rver } = results[durability];
    if (!ours) continue;
    for (const phase of ["largePut", "largeGet"] as const) {
      if (floor) {
        const share = mbps(ours[phase]) / mbps(floor[phase]);
        goals.push([
          `${durability} ${phase}: ours >= ${FLOOR_SHARE * 100}% of the floor (${(share * 100).toFixed(0)}%)`,
          share >= FLOOR_SHARE,
        ]);
      }
      const peak = ours[phase].peakRss;
      goals.push([
        `${durability} ${phase}: ours' RSS < 150 MB (${(peak / MB).toFixed(0)} MB)`,
        peak < LARGE_RSS_LIMIT,
      ]);
    }
    if (s3rver) {
      for (const phase of PHASES) {
        const x = rate(phase, ours[phase]) / rate(phase, s3rver[phase]);
        goals.push([`${durability} ${phase}: ours faster than s3rver (x${x.toFixed(2)})`, x > 1]);
      }
    }
  }
  console.log("\ngoals:");
  for (const [text, ok] of goals) console.log(`  ${ok ? "PASS" : "MISS"}  ${text}`);
  return goals.every(([, ok]) => ok);
}
