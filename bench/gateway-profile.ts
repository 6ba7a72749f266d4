/** Reads a V8 .cpuprofile and lists where the time went: self time by function, and by package. */
import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  name: string;
  /** Of the whole profile, idle time included. */
  percent: number;
  /** Microseconds of the main thread. */
  micros: number;
}

/**
 * esbuild marks where each module starts in a bundle with a "// path" line: maps a bundle line to
 * the module it came from.
 */
async function bundleModules(url: string): Promise<(line: number) => string | undefined> {
  const text = await readFile(new URL(url), "utf8").catch(() => "");
  const starts: Array<[number, string]> = [];
  text.split("\n").forEach((line, index) => {
    const marker = /^\/\/ ((?:src|bench|node_modules)\/\S+)$/.exec(line);
    if (marker) starts.push([index, marker[1]!]);
  });
  return (line) => {
    let found: string | undefined;
    for (const [start, path] of starts) {
      if (start > line) break;
      found = path;
    }
    return found;
  };
}

/** Who a module belongs to: a package, or a folder of our source. */
function ownerOf(path: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1]!;
  const src = /^src\/(.+)\/[^/]+$/.exec(path);
  return src ? `upgate src/${src[1]}` : path;
}

export async function summarizeProfile(
  path: string,
  top = 15,
): Promise<{ functions: Hotspot[]; owners: Hotspot[]; stages: Hotspot[]; busyMicros: number }> {
  const profile = JSON.parse(await readFile(path, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const bundles = new Map<string, (line: number) => string | undefined>();
  for (const { callFrame } of profile.nodes) {
    if (callFrame.url.endsWith(".mjs") && !bundles.has(callFrame.url)) {
      bundles.set(callFrame.url, await bundleModules(callFrame.url));
    }
  }
  /** The module a frame's code comes from, or node internals, or V8 itself. */
  const moduleOf = (url: string, line: number): string => {
    if (url === "") return "(native/V8)";
    if (url.startsWith("node:")) return "node internals";
    return bundles.get(url)?.(line) ?? url.replace(/^.*\/node_modules\//, "node_modules/");
  };
  const selfTime = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) {
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfTime.values()].reduce((a, b) => a + b, 0) || 1;
  const functions = new Map<string, number>();
  const owners = new Map<string, number>();
  let busyMicros = 0;
  for (const [id, time] of selfTime) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") continue;
    busyMicros += time;
    const module = moduleOf(url, lineNumber);
    const name = `${functionName || "(anonymous)"} ${url ? module : ""}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + time);
    const key = url ? ownerOf(module) : functionName.startsWith("(") ? functionName : "(native/V8)";
    owners.set(key, (owners.get(key) ?? 0) + time);
  }
  // Inclusive time of upgate's own functions (each counted once per stack): where a request's time goes.
  const stages = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      const module = url ? moduleOf(url, lineNumber) : "";
      if (!module.startsWith("src/") || !functionName) continue;
      const name = `${functionName} ${module}`;
      if (seen.has(name)) continue;
      seen.add(name);
      stages.set(name, (stages.get(name) ?? 0) + time);
    }
  }
  const rank = (map: Map<string, number>): Hotspot[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => ({ name, percent: (100 * time) / total, micros: time }));
  return { functions: rank(functions), owners: rank(owners), stages: rank(stages), busyMicros };
}
