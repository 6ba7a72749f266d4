/**
 * Node children that crash tests kill with SIGKILL (the store in test/integ/store, the gateway in
 * test/faults); bundleEntry also builds the benchmarks' server processes. Their entries are bundled once with esbuild, because `--import tsx` costs over a
 * second per start and these tests start children dozens of times.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { type BuildOptions, build } from "esbuild";

/** A bundle banner giving ESM output the require() that bundled CommonJS dependencies call for Node built-ins. */
export const NODE_REQUIRE_BANNER = {
  js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
};

/** Bundles `entry` into `outfile` (ESM for this Node) and returns `outfile`. */
export async function bundleEntry(
  entry: string,
  outfile: string,
  options: Pick<BuildOptions, "banner" | "packages" | "external"> = {},
): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
    ...options,
  });
  return outfile;
}

const live = new Set<ChildProcess>();

/** Kills every child still running (for afterAll, when a test failed midway). */
export function killAllChildren(): void {
  for (const child of live) child.kill("SIGKILL");
}

export interface KillableChild {
  readonly process: ChildProcess;
  /** What the child printed on its first line: {"url": ...}. */
  readonly url: string;
  /** True from the moment kill() is called. */
  readonly killed: boolean;
  /** The next line the child prints; rejects after `timeoutMs`, or if the child ends first. */
  nextLine(timeoutMs: number, what: string): Promise<string>;
  /** SIGKILL; resolves once the process is gone, rejects if it had died some other way first. */
  kill(): Promise<void>;
}

/** Starts `node script ...args` and waits for the JSON line with its URL. */
export async function startKillableChild(o: {
  /** Names the child in errors ("store child"). */
  label: string;
  script: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Whether the test writes commands to the child's stdin. */
  stdin?: boolean;
  startTimeoutMs: number;
}): Promise<KillableChild> {
  const child = spawn(process.execPath, [o.script, ...(o.args ?? [])], {
    env: { ...process.env, ...o.env },
    stdio: [o.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  live.add(child);
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => {
      live.delete(child);
      resolve(signal ?? `exit code ${code}`);
    }),
  );
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  let buffered = "";
  child.stdout!.setEncoding("utf8").on("data", (text: string) => {
    buffered += text;
    let end = buffered.indexOf("\n");
    while (end !== -1) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
      end = buffered.indexOf("\n");
    }
  });
  const nextLine = (timeoutMs: number, what: string): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const queued = lines.shift();
      if (queued !== undefined) return resolve(queued);
      const timer = setTimeout(
        () => reject(new Error(`${o.label}: ${what}: nothing within ${timeoutMs} ms\n${stderr}`)),
        timeoutMs,
      );
      waiters.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
      void exited.then((how) => {
        clearTimeout(timer);
        reject(new Error(`${o.label} ended (${how}) during ${what}\n${stderr}`));
      });
    });
  let url: string;
  try {
    url = (JSON.parse(await nextLine(o.startTimeoutMs, "start")) as { url: string }).url;
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  let killed = false;
  return {
    process: child,
    url,
    get killed() {
      return killed;
    },
    nextLine,
    async kill() {
      killed = true;
      child.kill("SIGKILL");
      const how = await exited;
      if (how !== "SIGKILL") throw new Error(`${o.label} ended by ${how} before it was killed\n${stderr}`);
    },
  };
}
