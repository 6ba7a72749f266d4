/**
 * CPU seconds per process, from /proc (Linux): this Node process (the dev stack: gateway, store
 * and their worker threads, plus the bench driver) and each of its descendants, grouped by what
 * they are (Chromium's renderer, network service, browser process...). Elsewhere it reads nothing
 * and the bench prints no per-process table.
 */
import { readdirSync, readFileSync } from "node:fs";
import { processStat } from "./machine-cpu.js";

interface Proc {
  pid: number;
  ppid: number;
  cpu: number;
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
    const pid = Number(entry);
    const stat = processStat(pid);
    if (stat) procs.push({ pid, ppid: stat.ppid, cpu: stat.cpuSeconds });
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
  const main = processStat(process.pid, process.pid);
  if (main) out.set("node main", main.cpuSeconds);
  return out;
}

/** after - before, kind by kind (a process that ended between the two counts from zero). */
export function cpuSince(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [kind, s] of after) out.set(kind, Math.max(0, s - (before.get(kind) ?? 0)));
  return out;
}
