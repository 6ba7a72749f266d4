/**
 * CPU time from /proc (Linux), for the benches that split a run's CPU: the whole machine's (to tell
 * our load from others'), and one process's or thread's.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";

/** Linux's USER_HZ: /proc/stat and /proc/<pid>/stat count CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/**
 * A process's (or, with `thread`, one thread's) parent and CPU seconds so far, user + system, from
 * /proc/<pid>/stat; undefined once it is gone. The command name (field 2) may hold spaces and
 * parentheses: the fields restart after the last ")".
 */
export function processStat(pid: number, thread?: number): { ppid: number; cpuSeconds: number } | undefined {
  let text: string;
  try {
    text = readFileSync(
      thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`,
      "utf8",
    );
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return {
    ppid: Number(fields[1]),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
  };
}

export interface MachineCpu {
  /** CPU seconds spent running anything, summed over cores. */
  busy: number;
  /** CPU seconds the hypervisor gave to other guests while we wanted them. */
  steal: number;
}

/** Totals since boot; subtract two readings for a run. Zero where /proc/stat is missing. */
export async function machineCpu(): Promise<MachineCpu> {
  const stat = await readFile("/proc/stat", "utf8").catch(() => "");
  const fields = (/^cpu\s+(.*)$/m.exec(stat)?.[1] ?? "").split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return { busy: (user + nice + system + irq + softirq) / TICKS_PER_SECOND, steal: steal / TICKS_PER_SECOND };
}

export function since(before: MachineCpu, after: MachineCpu): MachineCpu {
  return { busy: after.busy - before.busy, steal: after.steal - before.steal };
}
