/** The packaging test's tools: a copy of the working tree to pack, child processes, sizes, links. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cp, lstat, mkdir, readdir, symlink } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { projectRoot } from "../support/cli.js";

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The environment for npm and the installed CLI: the variables the outer `npm test` set for this
 * package (npm_package_*, npm_config_* from its command line, npm_lifecycle_*) would leak into
 * the consumer's npm, so none is passed on.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name) && name !== "INIT_CWD") env[name] = value;
  }
  return {
    ...env,
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    ...extra,
  };
}

/** Runs a command to the end (or kills it after `timeoutMs`), collecting its output and duration. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Ran> {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
  return new Promise((done) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    }),
  );
}

/** A failed command's exit code and the end of its output, for an assertion message. */
export function why(ran: Ran): string {
  return `exit ${ran.code}\n${ran.stdout.slice(-3000)}\n${ran.stderr.slice(-3000)}`;
}

/** A long-running command in its own process group (npx starts a shell and node under it). */
export function start(command: string, args: string[], cwd: string, env = cleanEnv()): ChildProcess {
  return spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * Sends `signal` to a process group started by start(), and SIGKILL if it is still there after
 * `killAfterMs`; resolves once it has exited.
 */
export async function stop(child: ChildProcess, signal: NodeJS.Signals, killAfterMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.on("close", () => done()));
  const signalGroup = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
    }
  };
  signalGroup(signal);
  const timer = setTimeout(() => signalGroup("SIGKILL"), killAfterMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves with the first stdout line that is a JSON object with the property `key`, parsed. */
export function jsonLine<T>(child: ChildProcess, key: string, timeoutMs: number): Promise<T> {
  return new Promise((done, fail) => {
    let out = "";
    let err = "";
    const timer = setTimeout(
      () => fail(new Error(`no JSON line in ${timeoutMs} ms; stderr: ${err}`)),
      timeoutMs,
    );
    child.stderr!.on("data", (d) => {
      err += d;
    });
    child.stdout!.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith("{") && l.includes(`"${key}":`));
      if (line) {
        clearTimeout(timer);
        done(JSON.parse(line) as T);
      }
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code}; stdout: ${out.slice(-2000)}; stderr: ${err.slice(-2000)}`));
    });
  });
}

/**
 * The files git would commit now (tracked and untracked, not ignored), copied to `target` with the
 * project's node_modules linked in: `npm pack` there builds dist and the demo page without touching
 * the working tree's.
 */
export async function stageWorkingTree(target: string): Promise<void> {
  const list = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: projectRoot,
    encoding: "utf8",
  });
  for (const file of list.split("\0").filter(Boolean)) {
    if (file === "node_modules") continue; // the worktree's own link to the shared install
    await mkdir(dirname(join(target, file)), { recursive: true });
    await cp(join(projectRoot, file), join(target, file)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOENT") throw err; // deleted in the working tree, not yet in the index
    });
  }
  await symlink(join(projectRoot, "node_modules"), join(target, "node_modules"));
}

/** The bytes of every file under `dir` (apparent size, as `du -sb` counts), links not followed. */
export async function treeSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await treeSize(path);
    else total += (await lstat(path)).size;
  }
  return total;
}

export const mb = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`;
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * The relative links of a Markdown file at `path` (package-relative, posix) that point at nothing in
 * `files` (a folder link is fine when some file is under it).
 */
export function brokenLinks(markdown: string, path: string, files: ReadonlySet<string>): string[] {
  const broken: string[] = [];
  for (const [, target] of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target!) || target!.startsWith("#")) continue;
    const resolved = posix
      .normalize(posix.join(posix.dirname(path), target!.split("#")[0]!))
      .replace(/\/$/, "");
    const found = files.has(resolved) || [...files].some((f) => f.startsWith(`${resolved}/`));
    if (!found) broken.push(`${path}: ${target}`);
  }
  return broken;
}
