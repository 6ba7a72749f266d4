/**
 * Sizes, rates and durations for people. Sizes are core's formatSize: 1024-based KB, MB and GB,
 * the convention of the gateway's limits and messages and of the CLI, so one file reads the same
 * everywhere ("12 MB" is 12 × 1024² bytes).
 */
import { formatSize } from "../../src/core/policy/sizes.js";

export const formatBytes = formatSize;

export function formatRate(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatSize(Math.round(bytesPerSecond))}/s` : "–";
}

/** "under a second", "42 s", "3 min 5 s", "1 h 20 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return "under a second";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Time left at the current rate, or undefined while the rate is unknown. */
export function timeLeft(loaded: number, total: number, rate: number): string | undefined {
  if (rate <= 0 || loaded >= total) return undefined;
  return formatDuration((total - loaded) / rate);
}

/** Whole percent of `part` in `total`, never 100 before the end: "37". */
export function percentOf(part: number, total: number): number {
  if (total <= 0) return 100;
  return part >= total ? 100 : Math.min(99, Math.floor((part / total) * 100));
}
