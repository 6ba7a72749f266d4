/**
 * The store in a child process that tests kill with SIGKILL. The child is test/support/store-child.ts,
 * bundled once with esbuild (tsx's own transpiler): starting the bundle takes a few hundred
 * milliseconds where `--import tsx` takes over a second, and crash tests start the store 50+ times.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const CHILD_SOURCE = fileURLToPath(new URL("../../support/store-child.ts", import.meta.url));
const START_TIMEOUT_MS = 20_000;

/** Bundles the child entry into `outDir` (dependencies included) and returns the script's path. */
export async function bundleStoreChild(outDir: string): Promise<string> {
  const outfile = join(outDir, "store-child.mjs");
  await build({
    entryPoints: [CHILD_SOURCE],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
    // CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
    },
  });
  return outfile;
}

export interface ChildOptions {
  script: string;
  dataDir: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface StoreChild {
  readonly url: string;
  /** True from the moment kill() is called. */
  readonly killed: boolean;
  /** SIGKILL; resolves once the process is gone, rejects if it had died some other way first. */
  kill(): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Kills every child still running (for afterAll, when a test failed midway). */
export function killAllChildren(): void {
  for (const child of live) child.kill("SIGKILL");
}

/** Starts the store on `dataDir` (fsync durability) and waits until it prints its URL. */
export async function startStoreChild(o: ChildOptions): Promise<StoreChild> {
  const child = spawn(process.execPath, [o.script, o.dataDir, o.bucket, "fsync"], {
    env: {
      ...process.env,
      UPGATE_STORE_ACCESS_KEY: o.credentials.accessKeyId,
      UPGATE_STORE_SECRET_KEY: o.credentials.secretAccessKey,
    },
    stdio: ["ignore", "pipe", "pipe"],
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
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => fail(`no URL within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    function fail(why: string) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`store child: ${why}\n${stderr}`));
    }
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
      const line = stdout.split("\n")[0]!;
      if (stdout.includes("\n")) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    void exited.then((how) => fail(`ended (${how}) before listening`));
  });
  let killed = false;
  return {
    url,
    get killed() {
      return killed;
    },
    async kill() {
      killed = true;
      child.kill("SIGKILL");
      const how = await exited;
      if (how !== "SIGKILL") throw new Error(`store child ended by ${how} before it was killed\n${stderr}`);
    },
  };
}
