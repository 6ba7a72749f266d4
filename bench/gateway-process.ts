/**
 * bench:gateway's server processes: each entry is bundled with esbuild (no TypeScript loader in the
 * measured process), started with its own data directory, and reports its URL over IPC.
 */
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEntry, NODE_REQUIRE_BANNER } from "../test/support/child-process.js";
import type { GatewayTarget, ReadyMessage } from "./gateway-config.js";
import { processStat } from "./machine-cpu.js";

/** Inside node_modules, so the packages left outside the bundle resolve from the bundle's folder. */
const BUNDLE_DIR = fileURLToPath(new URL("../node_modules/.cache/upgate-bench-gateway/", import.meta.url));

export async function bundleServer(target: GatewayTarget): Promise<string> {
  const outfile = join(BUNDLE_DIR, `gateway-server-${target}.mjs`);
  return bundleEntry(fileURLToPath(new URL(`./gateway-server-${target}.ts`, import.meta.url)), outfile, {
    // Native and worker-thread packages stay outside the bundle, loaded from node_modules.
    external: ["better-sqlite3", "pg", "pino", "thread-stream", "pino-pretty"],
    banner: NODE_REQUIRE_BANNER,
  });
}

export interface ServerProcess {
  url: string;
  /** CPU seconds (user + system) the process has used so far, every thread. */
  cpuSeconds(): Promise<number>;
  /** CPU seconds its main thread (the event loop) has used so far. */
  mainThreadCpuSeconds(): Promise<number>;
  /** The ledger's WAL syncs so far, from a server that counts them ((a)); undefined from others. */
  walSyncs(): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** utime + stime of a process (or one of its threads) so far. */
async function cpuSecondsOf(pid: number, thread?: number): Promise<number> {
  const stat = processStat(pid, thread);
  if (!stat) throw new Error(`process ${pid} is gone`);
  return stat.cpuSeconds;
}

/** Starts a bundled server; `cpuProfileDir` runs it under --cpu-prof (written when it stops). */
export async function startServer(
  script: string,
  dataDir: string,
  cpuProfileDir?: string,
): Promise<ServerProcess> {
  // --no-warnings: the AWS SDK warns about Node 20 on start-up, which is noise here.
  const execArgv = [
    "--no-warnings",
    ...(cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`] : []),
  ];
  const child: ChildProcess = fork(script, [dataDir], {
    execArgv,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
    child.on("message", (message: ReadyMessage) => {
      if (message?.ready) resolve(message.url);
    });
  });
  return {
    url,
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    // The main thread's id is the process id.
    mainThreadCpuSeconds: () => cpuSecondsOf(child.pid!, child.pid!),
    walSyncs: () =>
      new Promise((resolve) => {
        const timer = setTimeout(() => done(undefined), 1000);
        const done = (value: number | undefined) => {
          clearTimeout(timer);
          child.off("message", onMessage);
          resolve(value);
        };
        const onMessage = (message: { stats?: { walSyncs: number } }) => {
          if (message?.stats) done(message.stats.walSyncs);
        };
        child.on("message", onMessage);
        child.send({ stats: true });
      }),
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      // SIGINT lets --cpu-prof write its profile; node exits on it by default.
      child.kill(cpuProfileDir ? "SIGINT" : "SIGTERM");
      await exited;
    },
  };
}
