/** What the whole machine's CPUs did during a run, from /proc/stat (Linux): to tell our load from others'. */
import { readFile } from "node:fs/promises";

/** Linux's USER_HZ: /proc/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

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
