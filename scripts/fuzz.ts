/**
 * npm run fuzz [-- --runs N] [--target NAME] [--seed S] [--path P] [--bound-ms MS] [--jobs N] [--no-docs]
 *
 * Runs every fuzz target (test/fuzz/targets) for N generated inputs (default 100000), each in a
 * worker thread watched for hangs, prints target | inputs | failures | seconds, writes the table to
 * docs/reliability.md (section "fuzz"), and exits 1 on any failure with the counterexample, its
 * seed and path for replay.
 */
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { DEFAULT_BOUND_MS } from "../test/fuzz/harness/bounded.js";
import { describeFailure, type FuzzResult } from "../test/fuzz/harness/run.js";
import { clip } from "../test/fuzz/harness/target.js";
import type { WorkerJob } from "../test/fuzz/harness/worker.js";
import { TARGETS, targetByName } from "../test/fuzz/targets/index.js";
import { table, updateSection } from "./doc-sections.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "100000" },
    target: { type: "string", multiple: true },
    seed: { type: "string" },
    path: { type: "string" },
    "bound-ms": { type: "string", default: String(DEFAULT_BOUND_MS) },
    "no-docs": { type: "boolean", default: false },
    jobs: { type: "string", default: "1" },
  },
});

const runs = Number(values.runs);
const boundMs = Number(values["bound-ms"]);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive whole number, got ${values.runs}`);
const seed = values.seed === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(values.seed);
const targets = values.target ? values.target.map(targetByName) : TARGETS;
if (values.path !== undefined && targets.length !== 1) throw new Error("--path replays one --target");

/** A worker whose current input has not changed for this long is stuck in a synchronous loop. */
const HANG_MS = Math.max(30_000, boundMs * 30);

function runInWorker(name: string): Promise<FuzzResult> {
  const progress = new SharedArrayBuffer(4);
  const current = new Int32Array(progress);
  Atomics.store(current, 0, -1);
  const job: WorkerJob = {
    target: name,
    runs,
    seed,
    boundMs,
    progress,
    ...(values.path !== undefined && { path: values.path }),
  };
  const worker = new Worker(new URL("../test/fuzz/harness/worker-boot.mjs", import.meta.url), {
    workerData: job,
  });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let last = -1;
    let since = performance.now();
    let reported = performance.now();
    const watchdog = setInterval(() => {
      const index = Atomics.load(current, 0);
      if (performance.now() - reported > 60_000) {
        reported = performance.now();
        console.log(`       ${name.padEnd(14)} ${index + 1} inputs so far`);
      }
      if (index !== last) {
        last = index;
        since = performance.now();
        return;
      }
      if (performance.now() - since < HANG_MS) return;
      clearInterval(watchdog);
      void worker.terminate();
      // fast-check generates the same inputs from the same seed: regenerate the one that hung.
      const target = targetByName(name);
      const input = fc.sample(target.arbitrary, { seed, numRuns: index + 1 })[index];
      resolve({
        target: name,
        inputs: index + 1,
        failures: 1,
        seconds: (performance.now() - started) / 1000,
        outcomes: {},
        seed,
        counterexample: {
          input: clip(fc.stringify(input), 4000),
          error: `input ${index} did not return within ${HANG_MS} ms (a synchronous hang; the worker was stopped)`,
          path: String(index),
        },
      });
    }, 500);
    worker.once("message", (result: FuzzResult) => {
      clearInterval(watchdog);
      void worker.terminate();
      resolve(result);
    });
    worker.once("error", (err) => {
      clearInterval(watchdog);
      reject(err);
    });
  });
}

console.log(
  `fuzzing ${targets.length} target(s), ${runs} inputs each, seed ${seed}, bound ${boundMs} ms per input`,
);
const results: FuzzResult[] = new Array(targets.length);
let next = 0;
async function lane(): Promise<void> {
  while (next < targets.length) {
    const i = next++;
    const target = targets[i]!;
    const result = await runInWorker(target.name);
    results[i] = result;
    const mark = result.failures === 0 ? "ok" : "FAILED";
    console.log(
      `${mark.padEnd(6)} ${target.name.padEnd(14)} ${result.inputs} inputs in ${result.seconds.toFixed(1)} s`,
    );
    if (result.failures > 0) console.log(describeFailure(result));
  }
}
// Targets run one after another by default; --jobs runs that many side by side (seconds then overlap).
await Promise.all(Array.from({ length: Math.max(1, Number(values.jobs)) }, lane));

const header = ["target", "inputs", "failures", "seconds"];
const rows = results.map((r) => [r.target, r.inputs, r.failures, r.seconds.toFixed(1)]);
const totalInputs = results.reduce((n, r) => n + r.inputs, 0);
const totalFailures = results.reduce((n, r) => n + r.failures, 0);
const totalSeconds = results.reduce((n, r) => n + r.seconds, 0);
rows.push(["**total**", totalInputs, totalFailures, totalSeconds.toFixed(1)]);
const rendered = table(header, rows);
console.log(`\n${rendered}\n`);

// Replays and partial runs do not overwrite the published figures.
if (!values["no-docs"] && values.path === undefined && !values.target) {
  const command = runs === 100_000 ? "npm run fuzz" : `npm run fuzz -- --runs ${runs}`;
  const subjects = targets.map((t) => `- \`${t.name}\`: ${t.subject}`).join("\n");
  updateSection(
    "docs/reliability.md",
    "fuzz",
    [
      "## Fuzzing",
      "",
      `Generated by \`${command}\` on ${new Date().toISOString().slice(0, 10)} (seed ${seed}, fast-check, ${boundMs} ms bound per input). Every input must end without a crash (only the target's documented error class), without a hang, and keep the round-trip identities where a builder exists. A smaller sample runs in \`npm test\` (test/fuzz/fuzz.test.ts). A failure prints the input and the command that replays it (\`npm run fuzz -- --target NAME --seed S --path P\`); \`--runs\`, \`--target\` and \`--seed\` pick what to run.`,
      "",
      rendered,
      "",
      "Targets:",
      subjects,
      "",
      "How the inputs went, as each target labels them (round trips, refusals by code, inputs changed but still meaning the same):",
      "",
      ...results.map(
        (r) =>
          `- \`${r.target}\`: ${Object.entries(r.outcomes)
            .map(([label, n]) => `${label} ${n}`)
            .join(", ")}`,
      ),
    ].join("\n"),
  );
  console.log("wrote docs/reliability.md (section fuzz)");
}
process.exitCode = totalFailures > 0 ? 1 : 0;
