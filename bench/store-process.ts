/**
 * bench:store's server processes: each server entry is bundled once with esbuild (so no TypeScript
 * loader sits in the measured process), started on its own data directory, and watched for RSS.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEntry, NODE_REQUIRE_BANNER } from "../test/support/child-process.js";
import type { Durability, ReadyLine, ServerKind } from "./store-config.js";

const KINDS: readonly ServerKind[] = ["floor", "ours", "s3rver"];

/** Bundles the three server entries into `outDir`; returns the script of each kind. */
export async function bundleServers(outDir: string): Promise<Record<ServerKind, string>> {
  const scripts = {} as Record<ServerKind, string>;
  for (const kind of KINDS) {
    const outfile = join(outDir, `server-${kind}.mjs`);
    await bundleEntry(fileURLToPath(new URL(`./store-server-${kind}.ts`, import.meta.url)), outfile, {
      banner: NODE_REQUIRE_BANNER,
    });
    scripts[kind] = outfile;
  }
  return scripts;
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** Starts a new peak: the kernel's high-water mark is reset and sampling restarts. */
  resetPeak(): Promise<void>;
  /** Peak RSS in bytes since the last resetPeak(). */
  peakRss(): Promise<number>;
  /** Stops sampling, SIGKILLs the process and waits for it. */
  stop(): Promise<void>;
}

async function status(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1];
  if (kb === undefined) throw new Error(`no ${field} for process ${pid}`);
  return Number(kb) * 1024;
}

export async function startServer(
  script: string,
  dataDir: string,
  durability: Durability,
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [script, dataDir, durability], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      out += text;
      if (out.includes("\n")) resolve((JSON.parse(out.split("\n")[0]!) as ReadyLine).url);
    });
    void exited.then(() => reject(new Error(`${script} ended before listening`)));
  });
  const pid = child.pid!;
  let sampled = 0;
  /** Whether the kernel's peak (VmHWM) was reset, so it covers only the current phase. */
  let hwmReset = false;
  const sampler = setInterval(() => {
    status(pid, "VmRSS").then(
      (rss) => {
        sampled = Math.max(sampled, rss);
      },
      () => {},
    );
  }, 20);
  return {
    url,
    pid,
    async resetPeak() {
      // "5" resets the peak RSS (VmHWM) that the kernel keeps; sampling covers kernels without it.
      hwmReset = await writeFile(`/proc/${pid}/clear_refs`, "5").then(
        () => true,
        () => false,
      );
      sampled = await status(pid, "VmRSS");
    },
    async peakRss() {
      const now = await status(pid, "VmRSS");
      return Math.max(sampled, now, hwmReset ? await status(pid, "VmHWM") : 0);
    },
    async stop() {
      clearInterval(sampler);
      child.kill("SIGKILL");
      await exited;
    },
  };
}
