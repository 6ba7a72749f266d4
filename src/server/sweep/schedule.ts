import type { GatewayLog } from "../observe/log.js";
import type { SweepReport } from "./types.js";

export interface SweepSchedule {
  /**
   * No run starts after this; the run in flight is told to stop before its next action and is
   * waited for up to `waitMs` (an action already started, such as reading a big object to verify
   * it, is not cut: past the wait it is abandoned).
   */
  stop(waitMs: number): Promise<void>;
}

export interface ScheduleOptions {
  intervalMs: number;
  /** One run, going on from `cursor` (where the limit stopped the last one). */
  sweep(cursor: string | undefined, signal: AbortSignal): Promise<SweepReport>;
  log: GatewayLog;
}

/**
 * Runs a sweep every `intervalMs` (give or take a tenth, so instances started together spread
 * out), the first one interval after the start. Runs never overlap: the next is timed from the end
 * of the last. The timer is unref'd: it never keeps a process alive.
 */
export function scheduleSweeps(options: ScheduleOptions): SweepSchedule {
  const stopping = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let cursor: string | undefined;

  const next = () => {
    if (stopping.signal.aborted) return;
    // A run the limit stopped goes on soon; otherwise the interval.
    const interval = cursor === undefined ? options.intervalMs : Math.min(options.intervalMs, 1000);
    const delay = interval * (0.9 + Math.random() * 0.2);
    timer = setTimeout(() => {
      running = once().finally(() => {
        running = undefined;
        next();
      });
    }, delay);
    (timer as { unref?: () => void }).unref?.();
  };

  const once = async () => {
    try {
      const report = await options.sweep(cursor, stopping.signal);
      cursor = report.next;
      logReport(options.log, report);
    } catch (err) {
      cursor = undefined;
      if (!stopping.signal.aborted) options.log.error("sweep failed; the next one tries again", err);
    }
  };

  next();
  return {
    async stop(waitMs) {
      stopping.abort();
      clearTimeout(timer);
      if (!running) return;
      let waited: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = new Promise<void>((resolve) => {
        waited = setTimeout(resolve, waitMs);
      });
      await Promise.race([running, gaveUp]);
      clearTimeout(waited);
    },
  };
}

function logReport(log: GatewayLog, report: SweepReport): void {
  const { failed, ...done } = report.counts;
  if (Object.values(done).some((n) => n > 0)) {
    log.info("sweep", { ...done, ...(report.next !== undefined && { more: true }) });
  }
  if (failed > 0) {
    log.warn("sweep: storage calls failed; the next sweep tries again", {
      failed: report.failed.slice(0, 10).map(({ action, key, message }) => ({ action, key, message })),
    });
  }
}
