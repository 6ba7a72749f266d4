/**
 * CPU seconds per process, from /proc (Linux): this Node process (the dev stack: gateway, store
 * and their worker threads, plus the bench driver) and each of its descendants, grouped by what
 * they are (Chromium's renderer, network service, browser process...). Elsewhere it reads nothing
 * and the bench prints no per-process table.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second in /proc/<pid>/stat (USER_HZ: 100 on every Linux the bench runs on). */
const TICKS = 100;

interface Proc {
  pid: number;
  ppid: number;
  cpu: number;
}

function readStat(pid: number, path = `/proc/${pid}/stat`): Proc | undefined {
  try {
    const text = readFileSync(path, "utf8");
    // The command name (field 2) may hold spaces and parentheses: fields restart after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return { pid, ppid: Number(fields[1]), cpu: ticks / TICKS };
  } catch {
    return undefined;
  }
}

/** What a Chromium process is, from its command line; "node" for this process (dev stack + bench). */
function kindOf(pid: number): string {
  if (pid === process.pid) return "node";
  let args: string[];
  try {
    // Chromium rewrites its children's command lines as one string joined by spaces.
    args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split(/[\0 ]/);
  } catch {
    return "gone";
  }
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const type = flag("type");
  if (!type) return /chrom/i.test(args[0] ?? "") ? "chromium: browser" : `other: ${args[0]}`;
  if (type === "utility") {
    const sub = flag("utility-sub-type") ?? "";
    return `chromium: ${/network/i.test(sub) ? "network service" : `utility ${sub.split(".").pop()}`}`;
  }
  return `chromium: ${type}`;
}

/** CPU seconds so far of this process and every descendant, summed by kind. */
export function processCpu(): Map<string, number> {
  const out = new Map<string, number>();
  if (process.platform !== "linux") return out;
  const procs: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const proc = readStat(Number(entry));
    if (proc) procs.push(proc);
  }
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const self = procs.find((p) => p.pid === process.pid);
  const stack = self ? [self] : [];
  while (stack.length > 0) {
    const p = stack.pop()!;
    const kind = kindOf(p.pid);
    out.set(kind, (out.get(kind) ?? 0) + p.cpu);
    stack.push(...(children.get(p.pid) ?? []));
  }
  // This process's event loop (the gateway's and the store's JavaScript) apart from its other
  // threads (hash workers, file writes, GC).
  const main = readStat(process.pid, `/proc/${process.pid}/task/${process.pid}/stat`);
  if (main) out.set("node main", main.cpu);
  return out;
}

/** after - before, kind by kind (a process that ended between the two counts from zero). */
export function cpuSince(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [kind, s] of after) out.set(kind, Math.max(0, s - (before.get(kind) ?? 0)));
  return out;
}

/** CPU seconds all processes on the machine have used (ours and anyone else's): /proc/stat's busy time. */
export function machineCpu(): number {
  if (process.platform !== "linux") return Number.NaN;
  const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  const n = fields.map(Number);
  // user nice system idle iowait irq softirq steal: all but idle and iowait.
  return (n[0]! + n[1]! + n[2]! + n[5]! + n[6]! + n[7]!) / TICKS;
}
