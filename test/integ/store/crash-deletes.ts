/**
 * DeleteObjects of random batches of keys, three at a time, while another client re-creates random
 * keys; before each kill window every missing key is written again, so there is always something to delete.
 */
import type { Random } from "./crash-data.js";
import { deleteObjects, putObject } from "./crash-http.js";
import { putUntilKilled } from "./crash-puts.js";
import { attempt, type RoundContext, type Scenario } from "./crash-runner.js";

const KEYS = Array.from({ length: 30 }, (_, i) => `del/${String(i).padStart(2, "0")}`);
const DELETERS = 3;
const smallBody = (random: Random) => random.int(1, 48 * 1024);

function batchOf(random: Random): string[] {
  const batch = new Set<string>();
  const size = random.int(3, 10);
  while (batch.size < size) batch.add(random.pick(KEYS));
  return [...batch];
}

async function deleteUntilKilled(ctx: RoundContext): Promise<void> {
  while (!ctx.killed()) {
    const batch = batchOf(ctx.random);
    const ops = batch.map((key) => ctx.history.begin(key, null));
    await attempt(ctx, ops, `DeleteObjects ${batch.join(",")}`, () => deleteObjects(ctx.t, batch));
  }
}

/** Writes every missing key again (acknowledged before the kill window opens). */
async function refill(ctx: RoundContext): Promise<void> {
  const missing = KEYS.filter((key) => !ctx.found.has(key));
  const writers = Array.from({ length: 6 }, async () => {
    for (let key = missing.pop(); key !== undefined; key = missing.pop()) {
      const version = ctx.versions.create(key, smallBody(ctx.random));
      const op = ctx.history.begin(key, version.sha);
      await attempt(ctx, [op], `PUT ${key}`, () => putObject(ctx.t, version));
    }
  });
  await Promise.all(writers);
}

export function deleteScenario(rounds: number): Scenario {
  return {
    name: "DeleteObjects",
    prefix: "del/",
    rounds,
    afterStart: async (ctx, last) => {
      if (!last) await refill(ctx);
    },
    killDelayMs: (random) => random.int(5, 250),
    workload: (ctx) => [
      ...Array.from({ length: DELETERS }, () => deleteUntilKilled(ctx)),
      putUntilKilled(ctx, KEYS, smallBody),
    ],
  };
}
