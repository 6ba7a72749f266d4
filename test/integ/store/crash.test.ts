/**
 * Crash safety through HTTP: a store in a child process (fs backend, fsync) is killed with SIGKILL in
 * the middle of concurrent PutObjects, CompleteMultipartUploads and DeleteObjects, then restarted on
 * the same directory, 50 times in all. After every restart no object may be partial or carry another
 * version's metadata, every acknowledged write must be there unless a later operation on its key was
 * in flight, acknowledged deletes stay deleted, and multipart uploads are either completed or intact.
 * Kill timings are seeded (UPGATE_CRASH_SEED to replay a run).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { deleteScenario } from "./crash-deletes.js";
import { newTally, type Tally } from "./crash-model.js";
import { multipartScenario } from "./crash-multipart.js";
import { bundleStoreChild, killAllChildren } from "./crash-process.js";
import { putScenario } from "./crash-puts.js";
import { runScenario, type Scenario } from "./crash-runner.js";

const SEED = Number(process.env.UPGATE_CRASH_SEED ?? 20_240_601);
const PUT_KILLS = 20;
const COMPLETE_KILLS = 15;
const DELETE_KILLS = 15;

describe("store under kill -9, through HTTP", () => {
  let dir = "";
  let script = "";
  const totals = newTally();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-crash-"));
    script = await bundleStoreChild(dir);
  });

  afterAll(async () => {
    killAllChildren();
    await rm(dir, { recursive: true, force: true });
    const lost = totals.problems.length;
    console.log(
      [
        `crash totals (seed ${SEED}): ${totals.kills} kills, ${totals.acknowledged} operations acknowledged, ${totals.interrupted} cut off by a kill`,
        `  re-verified after restarts: ${totals.objectsVerified} acknowledged objects intact, ${totals.deletesVerified} keys still deleted, ${totals.uploadsVerified} multipart uploads intact, ${totals.interruptedLanded} keys holding an interrupted write`,
        `  objects lost or corrupted: ${lost}; unexpected answers: ${totals.errors.length}`,
      ].join("\n"),
    );
    expect(totals.kills).toBeGreaterThanOrEqual(PUT_KILLS + COMPLETE_KILLS + DELETE_KILLS);
  });

  async function run(scenario: Scenario, seed: number): Promise<Tally> {
    const tally = newTally();
    try {
      await runScenario(scenario, script, join(dir, scenario.prefix.slice(0, -1)), seed, tally);
    } finally {
      for (const name of Object.keys(tally) as Array<keyof Tally>) {
        const value = tally[name];
        if (Array.isArray(value)) (totals[name] as string[]).push(...value);
        else (totals[name] as number) += value;
      }
    }
    expect(tally.errors).toEqual([]);
    expect(tally.problems).toEqual([]);
    expect(tally.kills).toBe(scenario.rounds);
    expect(tally.interrupted, "operations cut off by the kills").toBeGreaterThan(0);
    expect(tally.objectsVerified, "acknowledged objects re-verified").toBeGreaterThan(0);
    return tally;
  }

  test(`${PUT_KILLS} kills during concurrent overwriting PutObjects`, async () => {
    await run(putScenario(PUT_KILLS), SEED);
  }, 60_000);

  test(`${COMPLETE_KILLS} kills during CompleteMultipartUpload`, async () => {
    const tally = await run(multipartScenario(COMPLETE_KILLS), SEED + 1);
    expect(tally.uploadsVerified, "uploads found intact after a kill").toBeGreaterThan(0);
  }, 60_000);

  test(`${DELETE_KILLS} kills during DeleteObjects`, async () => {
    const tally = await run(deleteScenario(DELETE_KILLS), SEED + 2);
    expect(tally.deletesVerified, "acknowledged deletes re-verified").toBeGreaterThan(0);
  }, 60_000);
});
