/**
 * Acceptance: from a fresh clone, the README's first command (with port-0 flags) starts everything,
 * and a file uploaded through the gateway with the CLI downloads back byte-identical.
 *
 * Runs in CI (CI=true), where the clone is of the committed HEAD. Elsewhere it is skipped: it
 * installs every dependency into a temporary folder, which takes minutes, and a clone would miss
 * uncommitted work. UPGATE_FRESH_CLONE=worktree runs it anywhere on a copy of the working tree
 * (tracked and untracked, not ignored files), to try the mechanism before committing.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../support/cli.js";

const mode =
  process.env.UPGATE_FRESH_CLONE === "worktree"
    ? "worktree"
    : process.env.CI === "true"
      ? "clone"
      : undefined;
const PORT_FLAGS = "-- --port 0 --store-port 0 --json --log-level silent";

let dir: string | undefined;
let started: ChildProcess | undefined;
afterAll(async () => {
  if (started?.pid && started.exitCode === null) {
    try {
      process.kill(-started.pid, "SIGKILL");
    } catch (err) {
      // The group may already be gone (the stack stopped on its own): nothing left to kill.
      if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
    }
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The clone: `git clone` of HEAD, or (worktree mode) the files git would commit now. */
async function checkout(target: string): Promise<void> {
  if (mode === "clone") {
    execFileSync("git", ["clone", "--quiet", "--no-hardlinks", projectRoot, target], { stdio: "ignore" });
    return;
  }
  const list = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: projectRoot,
    encoding: "utf8",
  });
  for (const file of list.split("\0").filter(Boolean)) {
    await mkdir(dirname(join(target, file)), { recursive: true });
    await cp(join(projectRoot, file), join(target, file)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOENT") throw err; // deleted in the working tree, not yet in the index
    });
  }
}

/** The first command of the README's first shell block. */
async function readmeFirstCommand(root: string): Promise<string> {
  const readme = await readFile(join(root, "README.md"), "utf8");
  const block = /```(?:sh|bash|shell)\n([^\n]+)\n/.exec(readme);
  if (!block) throw new Error("the README has no shell block");
  return block[1]!.trim();
}

function waitForJsonLine(child: ChildProcess, timeoutMs: number): Promise<{ gatewayUrl: string }> {
  return new Promise((done, fail) => {
    let out = "";
    let err = "";
    const timer = setTimeout(
      () => fail(new Error(`no start-up line in ${timeoutMs} ms; stderr: ${err.slice(-2000)}`)),
      timeoutMs,
    );
    child.stderr!.on("data", (d) => {
      err += d;
    });
    child.stdout!.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith('{"gatewayUrl"'));
      if (line) {
        clearTimeout(timer);
        done(JSON.parse(line));
      }
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code}; stdout: ${out.slice(-2000)}; stderr: ${err.slice(-2000)}`));
    });
  });
}

function run(cwd: string, command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn("sh", ["-c", command], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  return new Promise((done) => child.on("close", (code) => done({ code, stdout, stderr })));
}

describe.skipIf(mode === undefined)(
  "a fresh clone (CI only; UPGATE_FRESH_CLONE=worktree to run it here)",
  () => {
    it(
      "starts with the README's first command, and a file uploaded with the CLI downloads back byte-identical",
      async () => {
        dir = await mkdtemp(join(tmpdir(), "upgate-fresh-"));
        const root = join(dir, "upgate");
        await checkout(root);
        const first = await readmeFirstCommand(root);
        expect(first).toBe("npm install && npm start");
        started = spawn("sh", ["-c", `${first} ${PORT_FLAGS}`], {
          cwd: root,
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
          env: {
            ...process.env,
            npm_config_audit: "false",
            npm_config_fund: "false",
            npm_config_prefer_offline: "true",
          },
        });
        const { gatewayUrl } = await waitForJsonLine(started, 12 * 60_000);
        expect((await fetch(`${gatewayUrl}/healthz`)).status).toBe(200);
        const page = await fetch(gatewayUrl);
        expect(page.status).toBe(200);
        expect(page.headers.get("content-type")).toMatch(/^text\/html/);

        const bytes = randomBytes(3 * 1024 * 1024 + 17);
        const file = join(dir, "payload.bin");
        await writeFile(file, bytes);
        const up = await run(
          root,
          `npm run --silent upgate -- upload '${file}' --route any --endpoint ${gatewayUrl} --dev-user ada --json --quiet --state-dir '${join(dir, "state")}'`,
        );
        expect(up.code, up.stderr).toBe(0);
        const [record] = JSON.parse(up.stdout) as Array<{ id: string; status: string }>;
        expect(record?.status).toBe("verified");
        const session = await fetch(`${gatewayUrl}/v1/dev/session`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ user: "ada" }),
        });
        const { token } = (await session.json()) as { token: string };
        const download = await fetch(`${gatewayUrl}/v1/files/${record!.id}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(download.status).toBe(200);
        expect(Buffer.compare(Buffer.from(await download.arrayBuffer()), bytes)).toBe(0);

        const exited = new Promise((done) => started!.on("close", done));
        process.kill(-started.pid!, "SIGINT");
        await exited;
      },
      15 * 60_000,
    );
  },
);
