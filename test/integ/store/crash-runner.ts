/**
 * One crash scenario, round after round on one data directory: start the store, verify what it holds
 * against the history, let the scenario check and prepare, start its workload, SIGKILL the store after
 * a seeded random delay, and start again. The last start only verifies.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { S3Client } from "@aws-sdk/client-s3";
import { type Random, seeded, Versions } from "./crash-data.js";
import { type Target, UnexpectedAnswer } from "./crash-http.js";
import { History, type Op, type Tally } from "./crash-model.js";
import { startStoreChild } from "./crash-process.js";
import { judge, scanObjects } from "./crash-verify.js";

export const BUCKET = "crash-bucket";
export const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "AKIDCRASHTEST0000001", secretAccessKey: "crash-test-secret/0123456789" };

export interface RoundContext {
  t: Target;
  s3: S3Client;
  random: Random;
  versions: Versions;
  history: History;
  tally: Tally;
  /** What the store held at this start, key -> sha256 (after judging). */
  found: Map<string, string>;
  round: number;
  /** True once the store is being killed: workloads stop starting operations. */
  killed(): boolean;
}

export interface Scenario {
  name: string;
  /** Every key the scenario writes starts with this. */
  prefix: string;
  rounds: number;
  /** Scenario checks and set-up after each start (acknowledged work, before the kill window). */
  afterStart?(ctx: RoundContext, last: boolean): Promise<void>;
  /** Milliseconds from the workload's start to the SIGKILL. */
  killDelayMs(random: Random): number;
  /** Concurrent work that runs until the kill. */
  workload(ctx: RoundContext): Array<Promise<void>>;
}

/**
 * Runs `send` for operations already begun in the history: acknowledges them on success. A failure
 * after the kill leaves them in flight; any other failure is an error of the store.
 */
export async function attempt(
  ctx: RoundContext,
  ops: Op[],
  what: string,
  send: () => Promise<void>,
): Promise<boolean> {
  try {
    await send();
    for (const op of ops) ctx.history.ack(op);
    ctx.tally.acknowledged++;
    return true;
  } catch (err) {
    if (ctx.killed() && !(err instanceof UnexpectedAnswer)) {
      ctx.tally.interrupted++;
      return false;
    }
    ctx.tally.errors.push(`${what} (round ${ctx.round}): ${String(err)}`);
    return false;
  }
}

export async function runScenario(s: Scenario, script: string, dataDir: string, seed: number, tally: Tally) {
  const random = seeded(seed);
  const versions = new Versions(random);
  const history = new History();
  for (let round = 0; round <= s.rounds; round++) {
    const child = await startStoreChild({ script, dataDir, bucket: BUCKET, credentials: CREDENTIALS });
    const t: Target = { url: child.url, bucket: BUCKET, region: REGION, credentials: CREDENTIALS };
    const s3 = new S3Client({
      endpoint: child.url,
      forcePathStyle: true,
      region: REGION,
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const found = await scanObjects(t, s3, s.prefix, versions, tally.problems);
      judge(history, found, tally, `${s.name} (seed ${seed}) round ${round}`);
      const ctx: RoundContext = {
        t,
        s3,
        random,
        versions,
        history,
        tally,
        found,
        round,
        killed: () => child.killed,
      };
      const last = round === s.rounds;
      await s.afterStart?.(ctx, last);
      if (last) break;
      const kill = sleep(s.killDelayMs(random)).then(() => child.kill());
      await Promise.all([kill, ...s.workload(ctx)]);
      tally.kills++;
    } finally {
      s3.destroy();
      if (!child.killed) await child.kill();
    }
  }
}
