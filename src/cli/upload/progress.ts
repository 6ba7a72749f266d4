import type { UploadProgress } from "../../client/index.js";
import { formatBytes, formatEta } from "../output.js";

/** Where progress goes: process.stderr, or a fake in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressView {
  update(progress: UploadProgress): void;
  /** Draws the final state (the bar's last frame, or the last lines). */
  finish(): void;
}

export interface ProgressOptions {
  stream: ProgressStream;
  /** Non-TTY: the time between plain lines. Default 1000 ms. */
  intervalMs?: number;
  now?: () => number;
}

const BAR_FRAME_MS = 100;
const BAR_WIDTH = 24;

function stats(p: UploadProgress): string {
  if (p.phase === "hashing") {
    const pct = p.total > 0 ? Math.floor((p.hashed / p.total) * 100) : 100;
    return `hashing ${pct}%`;
  }
  if (p.phase === "done") return `${formatBytes(p.total)} verified`;
  if (p.phase === "verifying") return `${formatBytes(p.total)} uploaded, verifying`;
  const eta = p.rate > 0 ? (p.total - p.loaded) / p.rate : undefined;
  return `${Math.floor(p.percent)}% ${formatBytes(p.loaded)} / ${formatBytes(p.total)}  ${formatBytes(Math.round(p.rate))}/s  ${formatEta(eta)} left`;
}

/** One plain line per file: "photo.png: 45% 12 MB / 27 MB  8.1 MB/s  2s left". */
export function progressLine(p: UploadProgress): string {
  return `${p.file}: ${stats(p)}`;
}

/** One bar line per file: "photo.png [#########.......] 45% 12 MB / 27 MB  8.1 MB/s  2s left". */
export function progressBar(p: UploadProgress, columns = 100): string {
  const fraction =
    p.phase === "hashing" ? (p.total > 0 ? p.hashed / p.total : 1) : p.total > 0 ? p.loaded / p.total : 1;
  const filled = Math.min(BAR_WIDTH, Math.round(fraction * BAR_WIDTH));
  const bar = `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}]`;
  const line = `${p.file} ${bar} ${stats(p)}`;
  return line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line;
}

/** A bar per file redrawn in place on a TTY; elsewhere plain lines, at most one per file per interval. */
export function createProgressView(options: ProgressOptions): ProgressView {
  const { stream } = options;
  const now = options.now ?? (() => Date.now());
  const latest = new Map<number, UploadProgress>();
  const tty = stream.isTTY === true;
  const interval = tty ? BAR_FRAME_MS : (options.intervalMs ?? 1000);
  const printedPhase = new Map<number, string>();
  let drawnLines = 0;
  let last = Number.NEGATIVE_INFINITY;
  let dirty = false;

  const drawBars = () => {
    const files = [...latest.values()].sort((a, b) => a.index - b.index);
    let out = drawnLines > 0 ? `\x1b[${drawnLines}A` : "";
    for (const p of files) out += `\r\x1b[2K${progressBar(p, stream.columns || 100)}\n`;
    drawnLines = files.length;
    stream.write(out);
  };

  const printLines = (force: boolean) => {
    for (const p of [...latest.values()].sort((a, b) => a.index - b.index)) {
      const key = `${p.phase}:${p.loaded}:${p.hashed}`;
      if (!force && printedPhase.get(p.index) === key) continue;
      printedPhase.set(p.index, key);
      stream.write(`${progressLine(p)}\n`);
    }
  };

  const draw = (force: boolean) => {
    last = now();
    dirty = false;
    if (tty) drawBars();
    else printLines(force);
  };

  return {
    update(p) {
      const previous = latest.get(p.index);
      latest.set(p.index, p);
      dirty = true;
      const phaseChanged = previous !== undefined && previous.phase !== p.phase;
      // Lines: a new phase is always worth a line; otherwise wait out the interval.
      if (now() - last >= interval || (!tty && phaseChanged && p.phase === "done")) draw(false);
    },
    finish() {
      if (dirty || tty) draw(false);
    },
  };
}
