/**
 * better-sqlite3 and pg are optional peer dependencies: a command whose ledger needs one that is not
 * installed stops at start with one line naming the package to install. The CLI runs with both
 * hidden (test/support/hide-packages.mjs makes Node's own resolver fail for them); the installed
 * package without them is tested in test/package.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../support/cli.js";

const SQLITE_LINE = "the SQLite ledger needs better-sqlite3: npm install better-sqlite3@12";
const POSTGRES_LINE = "the Postgres ledger needs pg: npm install pg@8";

/** The CLI from source with better-sqlite3 and pg hidden. */
function runWithoutDrivers(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      join(projectRoot, "test/support/hide-packages.mjs"),
      join(projectRoot, "src/cli/main.ts"),
      ...args,
    ],
    {
      cwd: projectRoot,
      env: { ...process.env, UPGATE_TEST_HIDE_PACKAGES: "better-sqlite3,pg", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.on("close", (code) => done({ code, stdout, stderr })),
  );
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "upgate-no-driver-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ENV = {
  UPGATE_STORAGE_ACCESS_KEY: "AKIDEXAMPLE",
  UPGATE_STORAGE_SECRET_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  UPGATE_JWT_SECRET: "missing-driver-test-secret-0123456789abcdef",
};

async function config(ledger: string): Promise<string> {
  const file = join(dir, `${ledger.startsWith("sqlite") ? "sqlite" : "postgres"}.config.json`);
  await writeFile(
    file,
    JSON.stringify({
      storage: { endpoint: "http://127.0.0.1:1", bucket: "uploads", forcePathStyle: true },
      ledger,
      logger: { level: "silent" },
      routes: { images: { types: ["image/png"], maxSize: "1MB" } },
    }),
  );
  return file;
}

describe("a ledger whose driver is not installed", { timeout: 60_000 }, () => {
  it("stops upgate serve at start with one line naming better-sqlite3", async () => {
    const file = await config(`sqlite:${join(dir, "ledger.db")}`);
    const r = await runWithoutDrivers(["serve", "--config", file, "--port", "0"], ENV);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`upgate serve: ${SQLITE_LINE}\n`);
  });

  it("stops upgate serve at start with one line naming pg, before connecting", async () => {
    const file = await config("postgres://upgate@127.0.0.1:1/upgate");
    const r = await runWithoutDrivers(["serve", "--config", file, "--port", "0"], ENV);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`upgate serve: ${POSTGRES_LINE}\n`);
  });

  it("stops upgate dev (its ledger is SQLite) the same way, leaving no server behind", async () => {
    const r = await runWithoutDrivers([
      "dev",
      "--port",
      "0",
      "--store-port",
      "0",
      "--data-dir",
      join(dir, "dev"),
      "--log-level",
      "silent",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`upgate dev: ${SQLITE_LINE}\n`);
  });

  it("stops upgate sweep with the same line", async () => {
    const file = await config(`sqlite:${join(dir, "ledger.db")}`);
    const r = await runWithoutDrivers(["sweep", "--config", file, "--dry-run"], ENV);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`upgate sweep: ${SQLITE_LINE}\n`);
  });

  it("fails upgate doctor's ledger check with the install command as its fix", async () => {
    const r = await runWithoutDrivers(
      [
        "doctor",
        "--endpoint",
        "http://127.0.0.1:1",
        "--bucket",
        "uploads",
        "--ledger",
        "postgres://upgate@127.0.0.1:1/upgate",
        "--json",
      ],
      ENV,
    );
    expect(r.code).toBe(1);
    const { checks } = JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string }> };
    expect(checks.find((c) => c.id === "ledger")).toEqual({
      id: "ledger",
      name: "ledger",
      status: "fail",
      detail: "postgres://upgate@127.0.0.1:1/upgate: the Postgres ledger needs pg",
      fix: "npm install pg@8",
    });
  });
});
