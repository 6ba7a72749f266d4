/**
 * npm run bench:store [-- --large-mb 1024 --small-count 2000 --small-kb 64 --concurrency 16 --rounds 3 --durability both]
 *
 * PUT and GET of one large object and of many small ones (concurrent clients), through three servers
 * on 127.0.0.1, each in its own process: upgate's store (SigV4 presigned URLs verified, body checked
 * against the signed x-amz-checksum-sha256), a bare node:http file server (the floor) and s3rver.
 * Two durability settings: fsync (ours against a floor that fsyncs) and none (ours with
 * durability "none" against a floor that does not fsync, and s3rver, which never does).
 * Each round starts every server afresh, in a rotating order; each cell is the fastest of the rounds
 * (the one least disturbed by whatever else the machine runs), with the highest RSS of any round.
 * Prints MB/s, objects/s, each server's peak RSS, the ratios, and whether the goals hold.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { closeClient } from "./store-client.js";
import type { Durability, ServerKind } from "./store-config.js";
import {
  bestOf,
  measureServer,
  type Phase,
  type PhaseResult,
  repeatedSha256,
  type Workload,
} from "./store-measure.js";
import { bundleServers } from "./store-process.js";
import { printGoals, printTable, type Results } from "./store-report.js";

const { values: args } = parseArgs({
  options: {
    "large-mb": { type: "string", default: "1024" },
    "small-count": { type: "string", default: "2000" },
    "small-kb": { type: "string", default: "64" },
    concurrency: { type: "string", default: "16" },
    rounds: { type: "string", default: "3" },
    durability: { type: "string", default: "both" },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log(
    "usage: npm run bench:store -- [--large-mb N (MiB, default 1024)] [--small-count N (2000)] [--small-kb N (64)] [--concurrency N (16)] [--rounds N (3)] [--durability both|fsync|none]",
  );
  process.exit(0);
}
const positive = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
  return n;
};
if (!["both", "fsync", "none"].includes(args.durability))
  throw new Error("--durability is both, fsync or none");
const durabilities: Durability[] =
  args.durability === "both" ? ["fsync", "none"] : [args.durability as Durability];
/** s3rver never fsyncs, so it only runs at durability none. */
const SERVERS: Record<Durability, ServerKind[]> = {
  fsync: ["floor", "ours"],
  none: ["floor", "ours", "s3rver"],
};
const rounds = positive("rounds", args.rounds);

const CHUNK = 1024 * 1024;
const largeBytes = positive("large-mb", args["large-mb"]) * 1024 * 1024;
const largeChunk = randomBytes(CHUNK);
const smallBody = randomBytes(positive("small-kb", args["small-kb"]) * 1024);
const workload: Workload = {
  largeBytes,
  largeChunk,
  largeChecksum: repeatedSha256(largeChunk, largeBytes),
  smallCount: positive("small-count", args["small-count"]),
  smallBody,
  smallChecksum: createHash("sha256").update(smallBody).digest("base64"),
  concurrency: positive("concurrency", args.concurrency),
};

const workDir = await mkdtemp(join(tmpdir(), "upgate-bench-store-"));
try {
  const scripts = await bundleServers(workDir);
  const runs = new Map<string, Array<Record<Phase, PhaseResult>>>();
  for (let round = 0; round < rounds; round++) {
    for (const durability of durabilities) {
      const kinds = SERVERS[durability];
      for (let i = 0; i < kinds.length; i++) {
        const kind = kinds[(i + round) % kinds.length]!;
        process.stderr.write(
          `bench:store: round ${round + 1}/${rounds}, ${kind} (durability ${durability})\n`,
        );
        const run = await measureServer(kind, durability, scripts[kind], workDir, workload);
        runs.set(`${durability}/${kind}`, [...(runs.get(`${durability}/${kind}`) ?? []), run]);
      }
    }
  }
  const results = {} as Results;
  for (const durability of durabilities) {
    results[durability] = {};
    for (const kind of SERVERS[durability])
      results[durability][kind] = bestOf(runs.get(`${durability}/${kind}`)!);
  }
  console.log(
    `\nbench:store: best of ${rounds} round(s); ${workload.concurrency} concurrent clients for small objects; MB = 10^6 bytes; each server in its own process\n`,
  );
  printTable(results, largeBytes, workload.smallCount, smallBody.length);
  printGoals(results);
} finally {
  closeClient();
  await rm(workDir, { recursive: true, force: true });
}
