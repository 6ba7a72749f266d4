/** Small formatting helpers shared by the commands' human-readable output. */
import { formatSize } from "../core/policy/sizes.js";

/**
 * "1.5 KB", "40 MB": core's formatSize, 1024-based KB/MB/GB, the units of the gateway's limits and
 * messages and of the demo page, so a file's size reads the same in every place.
 */
export const formatBytes = formatSize;

/** Seconds as "42s", "3m05s" or "1h02m"; "--" when unknown. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "--";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** A plain-text table: a header row, a rule, then the rows, columns padded to their widest cell. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
