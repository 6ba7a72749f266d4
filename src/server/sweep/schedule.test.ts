import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { GatewayLog } from "../observe/log.js";
import { emptyReport } from "./index.js";
import { scheduleSweeps } from "./schedule.js";
import type { SweepReport } from "./types.js";

function report(extra: Partial<SweepReport> = {}): SweepReport {
  return { ...emptyReport(false), ...extra };
}

function recordingLog() {
  const lines: Array<[string, string, unknown]> = [];
  const log: GatewayLog = {
    request() {},
    info: (message, fields) => lines.push(["info", message, fields]),
    warn: (message, fields) => lines.push(["warn", message, fields]),
    error: (message, error) => lines.push(["error", message, error]),
  };
  return { log, lines };
}

describe("scheduleSweeps", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sweeps every interval (within a tenth), never two at once, and logs only what did something", async () => {
    const { log, lines } = recordingLog();
    const runs: number[] = [];
    let finish: (() => void) | undefined;
    const schedule = scheduleSweeps({
      intervalMs: 10_000,
      log,
      sweep: () => {
        runs.push(Date.now());
        return new Promise((resolve) => {
          finish = () =>
            resolve(report(runs.length === 1 ? { counts: { ...report().counts, verified: 2 } } : {}));
        });
      },
    });
    const start = Date.now();
    await vi.advanceTimersByTimeAsync(8_999);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_002);
    expect(runs).toHaveLength(1);
    expect(runs[0]! - start).toBeGreaterThanOrEqual(9_000);
    // The run is still going: no second one starts however long it takes.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toHaveLength(1);
    finish!();
    await vi.advanceTimersByTimeAsync(11_001);
    expect(runs).toHaveLength(2);
    finish!();
    await vi.advanceTimersByTimeAsync(0);
    expect(lines).toEqual([["info", "sweep", expect.objectContaining({ verified: 2, expired: 0 })]]);
    await schedule.stop(0);
  });

  it("goes on from the cursor a limited run left, soon, and starts afresh after a failure", async () => {
    const { log, lines } = recordingLog();
    const cursors: Array<string | undefined> = [];
    const answers = [report({ complete: false, next: "c1" }), new Error("ledger down"), report()];
    const schedule = scheduleSweeps({
      intervalMs: 60_000,
      log,
      sweep: async (cursor) => {
        cursors.push(cursor);
        const answer = answers.shift()!;
        if (answer instanceof Error) throw answer;
        return answer;
      },
    });
    while (cursors.length === 0) await vi.advanceTimersByTimeAsync(100);
    expect(cursors).toEqual([undefined]);
    await vi.advanceTimersByTimeAsync(1_101);
    expect(cursors).toEqual([undefined, "c1"]);
    expect(lines).toEqual([["error", "sweep failed; the next one tries again", expect.any(Error)]]);
    await vi.advanceTimersByTimeAsync(66_001);
    expect(cursors).toEqual([undefined, "c1", undefined]);
    await schedule.stop(0);
  });

  it("stop() tells the run in flight to stop, waits for it at most waitMs, and starts no other", async () => {
    const { log, lines } = recordingLog();
    let signal: AbortSignal | undefined;
    let runs = 0;
    const schedule = scheduleSweeps({
      intervalMs: 1_000,
      log,
      sweep: (_cursor, s) => {
        runs++;
        signal = s;
        // Ends soon after it is told to stop, failing as a run cut short by a closed ledger would.
        return new Promise((_resolve, reject) =>
          s.addEventListener("abort", () => setTimeout(() => reject(new Error("closed")), 50)),
        );
      },
    });
    await vi.advanceTimersByTimeAsync(1_101);
    expect(runs).toBe(1);
    const stopped = schedule.stop(5_000);
    expect(signal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(50);
    await stopped;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(1);
    // A run cut short by the stop is not an error worth logging.
    expect(lines).toEqual([]);
  });

  it("stop() gives up on a run that does not end within waitMs", async () => {
    const schedule = scheduleSweeps({
      intervalMs: 1_000,
      log: recordingLog().log,
      sweep: () => new Promise(() => {}),
    });
    await vi.advanceTimersByTimeAsync(1_101);
    let done = false;
    const stopped = schedule.stop(200).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(199);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopped;
    expect(done).toBe(true);
  });

  it("keeps no process alive: its timer is unref'd", () => {
    vi.useRealTimers();
    const before = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const schedule = scheduleSweeps({
      intervalMs: 60_000,
      log: recordingLog().log,
      sweep: async () => report(),
    });
    expect(process.getActiveResourcesInfo().filter((r) => r === "Timeout").length).toBe(before);
    return schedule.stop(0);
  });
});
