/**
 * Concurrent PutObjects, with overwrites of the same few keys (often two at once on one key), bodies
 * from empty to 6 MiB, each with x-amz-checksum-sha256 and its sha256 as metadata.
 */
import type { Random } from "./crash-data.js";
import { putObject } from "./crash-http.js";
import { attempt, type RoundContext, type Scenario } from "./crash-runner.js";

const KEYS = Array.from({ length: 8 }, (_, i) => `put/${i}`);
const WORKERS = 6;

const MIB = 1024 * 1024;

/** Mostly small bodies; one in ten of 4 to 6 MiB, which the store pipelines (md5 on a worker thread). */
function bodySize(random: Random): number {
  const band = random.int(0, 9);
  if (band < 4) return random.int(0, 4096);
  if (band < 7) return random.int(4097, 256 * 1024);
  if (band < 9) return random.int(256 * 1024 + 1, 2 * MIB);
  return random.int(4 * MIB, 6 * MIB);
}

/** PUT after PUT until the kill; each one recorded before it is sent. */
export async function putUntilKilled(
  ctx: RoundContext,
  keys: readonly string[],
  size: (r: Random) => number,
) {
  while (!ctx.killed()) {
    const version = ctx.versions.create(ctx.random.pick(keys), size(ctx.random));
    const op = ctx.history.begin(version.key, version.sha);
    await attempt(ctx, [op], `PUT ${version.key}`, () => putObject(ctx.t, version));
  }
}

export function putScenario(rounds: number): Scenario {
  return {
    name: "PutObject",
    prefix: "put/",
    rounds,
    killDelayMs: (random) => random.int(20, 400),
    workload: (ctx) => Array.from({ length: WORKERS }, () => putUntilKilled(ctx, KEYS, bodySize)),
  };
}
