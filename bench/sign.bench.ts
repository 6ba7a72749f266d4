/**
 * npm run bench:sign [-- --iterations N --rounds R --warmup W]
 *
 * Presigned PUT URLs for one upload (signed content-type, content-length, x-amz-checksum-sha256,
 * if-none-match and x-amz-meta-upgate-user; fresh random key per URL, fixed date) through upgate's
 * presignUrl, @aws-sdk/s3-request-presigner, @smithy/signature-v4 and aws4, side by side in one
 * process. Exits non-zero when the outputs that should agree do not.
 */
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { type Contender, measure, type Timing } from "./measure.js";
import { comparePairs, verifyAll } from "./sign-check.js";
import { aws4Presigner, cryptoFloor, ours, sdk, seamFloor, smithy } from "./sign-impls.js";
import { randomKeys } from "./sign-inputs.js";

const { values: args } = parseArgs({
  options: {
    iterations: { type: "string", default: "3000" },
    rounds: { type: "string", default: "7" },
    warmup: { type: "string", default: "2000" },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log("usage: npm run bench:sign -- [--iterations N] [--rounds R] [--warmup W]");
  process.exit(0);
}
const positive = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
  return n;
};
const iterations = positive("iterations", args.iterations);
const rounds = positive("rounds", args.rounds);
const warmup = positive("warmup", args.warmup);

const OURS = "upgate presignUrl";
const SDK = "@aws-sdk/s3-request-presigner";
const SMITHY = "@smithy/signature-v4";
const AWS4 = "aws4";
const FLOOR = "crypto floor: createHash + createHmac";
const SEAM_FLOOR = "crypto floor: upgate's seam";
const GOALS: Array<[string, number]> = [
  [SDK, 50],
  [AWS4, 2],
];

console.log("bench:sign: presigned PUT URLs with signed content-type, content-length,");
console.log("x-amz-checksum-sha256, if-none-match and x-amz-meta-upgate-user");
console.log(
  `Node ${process.version}, ${process.platform} ${process.arch}, ${availableParallelism()} CPUs; ` +
    `${rounds} interleaved rounds of ${iterations} URLs per implementation after ${warmup} warm-up; ` +
    "a fresh random key per URL, fixed date.\n",
);

// 1. Correctness, before any timing.
const pairs = await comparePairs(randomKeys(256));
const verified = await verifyAll(randomKeys(1)[0]!, {
  [OURS]: ours,
  [SDK]: sdk,
  [SMITHY]: smithy,
  [AWS4]: aws4Presigner,
});
const floorKeys = randomKeys(16);
const floorsAgree = await Promise.all(
  floorKeys.map(async (k) => {
    const signature = new URL(await ours(k)).searchParams.get("X-Amz-Signature");
    return cryptoFloor(k) === signature && seamFloor(k) === signature;
  }),
);
let failed = false;
console.log("Agreement (256 random keys per pair):");
for (const p of pairs) {
  const ok = p.sameSignature === p.total && p.identical === p.total;
  failed ||= !ok;
  console.log(
    `  ${ok ? "MATCH   " : "MISMATCH"} ${p.pair}: ${p.identical}/${p.total} URLs byte-identical ` +
      `(query in canonical order), ${p.sameSignature}/${p.total} signatures equal`,
  );
  console.log(`           compared as: ${p.how}`);
  if (p.firstMismatch)
    console.log(
      `           first mismatch:\n             ${p.firstMismatch.a}\n             ${p.firstMismatch.b}`,
    );
}
console.log("verifyPresignedUrl, each URL sent with exactly the headers it signed:");
for (const [name, result] of Object.entries(verified)) {
  failed ||= result !== "ok";
  console.log(`  ${name}: ${result}`);
}
const floorOk = floorsAgree.every(Boolean);
failed ||= !floorOk;
console.log(
  `both crypto floors compute upgate's signature (16 keys): ${floorOk ? "yes" : "NO"}, so they do the real work`,
);
if (failed) {
  console.error("\nFAIL: implementations that must agree do not; not timing.");
  process.exit(1);
}

// 2. Speed.
const contenders: Contender[] = [
  { name: OURS, run: ours },
  { name: SDK, run: sdk },
  { name: SMITHY, run: smithy },
  { name: AWS4, run: aws4Presigner },
  { name: FLOOR, run: cryptoFloor },
  { name: SEAM_FLOOR, run: seamFloor },
];
const keys = randomKeys(warmup + rounds * iterations);
const started = performance.now();
const timings = await measure(contenders, { inputs: keys, iterations, rounds, warmup });
const byName = new Map(timings.map((t) => [t.name, t]));
const oursUs = byName.get(OURS)!.medianUs;

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
console.log(`\nSpeed (median of ${rounds} rounds; min-max in brackets):`);
console.log(row(["implementation", "µs/URL", "URLs/s", "ours is"]));
console.log(row(["---", "---:", "---:", "---:"]));
const line = (t: Timing, ratio: string) =>
  row([t.name, `${fmt(t.medianUs)} (${fmt(t.minUs)}-${fmt(t.maxUs)})`, fmt(1e6 / t.medianUs, 0), ratio]);
const floors = new Set([FLOOR, SEAM_FLOOR]);
for (const t of timings) {
  if (floors.has(t.name)) continue;
  console.log(line(t, t.name === OURS ? "-" : `${fmt(t.medianUs / oursUs, 1)}x faster`));
}
for (const name of floors) {
  const floor = byName.get(name)!;
  console.log(line(floor, `takes ${fmt(oursUs / floor.medianUs, 1)}x this`));
}
console.log(
  "Crypto floors (references, not contenders): one SHA-256 of the canonical request plus one\n" +
    "HMAC-SHA-256 of the string to sign, signing key precomputed. createHash + createHmac is how aws4\n" +
    "hashes; upgate's seam uses one-shot crypto.hash and builds the HMAC from two one-shot hashes.",
);

console.log("\nGoals:");
for (const [name, goal] of GOALS) {
  const ratio = byName.get(name)!.medianUs / oursUs;
  console.log(`  >= ${goal}x faster than ${name}: ${fmt(ratio, 1)}x, ${ratio >= goal ? "met" : "NOT met"}`);
}
console.log(`\ntimed part took ${fmt((performance.now() - started) / 1000, 1)} s`);
