import { readdir, readFile } from "node:fs/promises";
import { MiB } from "./options.js";
import { slope } from "./stats.js";

export interface ResourceSample {
  /** ms since the load started. */
  t: number;
  rssMb: number;
  fds: number;
}

export interface ProcessResources {
  label: string;
  pid: number;
  samples: ResourceSample[];
}

export interface ResourceFigures {
  label: string;
  pid: number;
  samples: number;
  rssStartMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  /** Linear-regression slope of RSS after warm-up. */
  rssSlopeMbPerMin: number;
  fdsStart: number;
  fdsEnd: number;
  fdsMax: number;
  fdsSlopePerMin: number;
}

/** VmRSS (from /proc/<pid>/status) and the number of entries in /proc/<pid>/fd. */
export async function readProcess(pid: number): Promise<{ rssMb: number; fds: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  const fds = (await readdir(`/proc/${pid}/fd`)).length;
  return { rssMb: (Number(match[1]) * 1024) / MiB, fds };
}

/** Samples each process every `intervalMs` until stopped. */
export function watchProcesses(
  processes: ReadonlyArray<{ label: string; pid: number }>,
  intervalMs: number,
): { results: ProcessResources[]; stop(): Promise<void> } {
  const start = Date.now();
  const results: ProcessResources[] = processes.map((p) => ({ ...p, samples: [] }));
  let running: Promise<void> = Promise.resolve();
  const sample = async () => {
    const t = Date.now() - start;
    await Promise.all(
      results.map(async (proc) => {
        const reading = await readProcess(proc.pid).catch(() => undefined);
        if (reading) proc.samples.push({ t, ...reading });
      }),
    );
  };
  running = sample();
  const timer = setInterval(() => {
    running = running.then(sample);
  }, intervalMs);
  return {
    results,
    async stop() {
      clearInterval(timer);
      await running;
      await sample();
    },
  };
}

/** Start, end, peak and post-warm-up slopes (per minute) of one process's samples. */
export function figures(proc: ProcessResources, warmupMs: number): ResourceFigures {
  const { samples } = proc;
  const steady = samples.filter((s) => s.t >= warmupMs);
  const perMinute = (pick: (s: ResourceSample) => number) =>
    slope(steady.map((s) => ({ x: s.t / 60_000, y: pick(s) })));
  const first = samples[0];
  const last = samples[samples.length - 1];
  return {
    label: proc.label,
    pid: proc.pid,
    samples: samples.length,
    rssStartMb: first?.rssMb ?? Number.NaN,
    rssEndMb: last?.rssMb ?? Number.NaN,
    rssMaxMb: Math.max(...samples.map((s) => s.rssMb)),
    rssSlopeMbPerMin: perMinute((s) => s.rssMb),
    fdsStart: first?.fds ?? Number.NaN,
    fdsEnd: last?.fds ?? Number.NaN,
    fdsMax: Math.max(...samples.map((s) => s.fds)),
    fdsSlopePerMin: perMinute((s) => s.fds),
  };
}
