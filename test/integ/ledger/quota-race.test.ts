import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createSqliteLedger } from "../../../src/server/ledger/sqlite.js";
import type { Ledger, QuotaLimit } from "../../../src/server/ledger/types.js";
import { createTestSchema, describePostgres } from "../../contract/ledger-postgres-env.js";
import { BYTE_QUOTA, CALLS, FILE_QUOTA, heldRows, MB, race } from "./race-support.js";

const CHILD = fileURLToPath(new URL("./reserve-child.ts", import.meta.url));

/** Runs the race on `ledgers` and checks that exactly the calls that fit were granted, no more. */
async function expectRaceHeld(ledgers: Ledger[]): Promise<void> {
  const bytes = await race(ledgers, "bytes", BYTE_QUOTA, 1, MB);
  expect(bytes.filter((result) => result.ok)).toHaveLength(50);
  expect(await ledgers[0]!.usage("racer", "bytes", undefined, new Date())).toEqual({
    bytes: 50 * MB,
    files: 50,
  });
  expect(await heldRows(ledgers[0]!, "bytes")).toBe(50);

  const files = await race(ledgers, "files", FILE_QUOTA, 3, 1);
  expect(files.filter((result) => result.ok)).toHaveLength(33);
  expect(await ledgers[0]!.usage("racer", "files", undefined, new Date())).toEqual({ bytes: 99, files: 99 });
}

describe("quota race on SQLite", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-race-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test(`${CALLS} concurrent reservations from two instances on one file grant exactly what fits`, async () => {
    const path = join(dir, "ledger.db");
    const ledgers = [createSqliteLedger(path), createSqliteLedger(path)];
    try {
      await Promise.all(ledgers.map((ledger) => ledger.migrate()));
      await expectRaceHeld(ledgers);
    } finally {
      await Promise.all(ledgers.map((ledger) => ledger.close()));
    }
  });

  test(`${CALLS} reservations from four processes on one file grant exactly what fits`, async () => {
    const path = join(dir, "ledger.db");
    const results = await raceProcesses(path, 4, "bytes", BYTE_QUOTA, 1, MB);
    expect(results.flatMap((result) => result.errors)).toEqual([]);
    expect(results.reduce((sum, result) => sum + result.granted, 0)).toBe(50);
    expect(results.reduce((sum, result) => sum + result.refused, 0)).toBe(CALLS - 50);
    const ledger = createSqliteLedger(path);
    try {
      expect(await ledger.usage("racer", "bytes", undefined, new Date())).toEqual({
        bytes: 50 * MB,
        files: 50,
      });
      expect(await heldRows(ledger, "bytes")).toBe(50);
    } finally {
      await ledger.close();
    }
  });
});

describePostgres("quota race on Postgres", (url) => {
  test(`${CALLS} concurrent reservations from two gateway instances (two pools) grant exactly what fits`, async () => {
    const database = await createTestSchema(url);
    const ledgers = [database.open(), database.open()];
    try {
      await Promise.all(ledgers.map((ledger) => ledger.migrate()));
      await expectRaceHeld(ledgers);
    } finally {
      await Promise.all(ledgers.map((ledger) => ledger.close()));
      await database.dispose();
    }
  });
});

interface ChildResult {
  granted: number;
  refused: number;
  errors: string[];
}

/** Starts `processes` children on the file, releases them together once all are ready, collects results. */
async function raceProcesses(
  path: string,
  processes: number,
  route: string,
  limit: QuotaLimit,
  files: number,
  size: number,
): Promise<ChildResult[]> {
  const calls = CALLS / processes;
  const children = Array.from({ length: processes }, () =>
    spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        CHILD,
        path,
        route,
        String(calls),
        String(files),
        String(size),
        JSON.stringify(limit),
      ],
      { stdio: ["pipe", "pipe", "inherit"] },
    ),
  );
  const outputs = children.map((child) => {
    let text = "";
    child.stdout.setEncoding("utf8");
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (data: string) => {
        text += data;
        if (text.includes('"ready"')) resolve();
      });
      child.on("exit", (code) => reject(new Error(`child exited (${code}) before ready:\n${text}`)));
    });
    const done = new Promise<ChildResult>((resolve, reject) => {
      child.on("exit", (code) => {
        const last = text.trim().split("\n").at(-1) ?? "";
        if (code === 0 && last.includes('"granted"')) resolve(JSON.parse(last) as ChildResult);
        else reject(new Error(`child exited with ${code}:\n${text}`));
      });
    });
    return { ready, done };
  });
  await Promise.all(outputs.map((output) => output.ready));
  for (const child of children) child.stdin.end("go\n");
  return Promise.all(outputs.map((output) => output.done));
}
