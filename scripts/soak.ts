/**
 * npm run soak [-- --duration 120 --users 200 --instances 3 --max-size 50MiB --seed 1]
 *
 * The scale-out soak (test/soak/run.ts) against the embedded store, on the Postgres server at
 * UPGATE_TEST_POSTGRES_URL. Prints its figures, writes the "soak" section of docs/reliability.md,
 * and exits 1 when any soak assertion failed.
 */
import { parseArgs } from "node:util";
import { parseSize } from "../src/core/util/sizes.js";
import { formatReport, reportMarkdown } from "../test/soak/format.js";
import { runSoak } from "../test/soak/run.js";
import { updateSection } from "./doc-sections.js";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "120" },
    users: { type: "string", default: "200" },
    instances: { type: "string", default: "3" },
    "max-size": { type: "string", default: "50MiB" },
    seed: { type: "string", default: "1" },
    "no-docs": { type: "boolean", default: false },
  },
});

const postgresUrl = process.env.UPGATE_TEST_POSTGRES_URL;
if (!postgresUrl) {
  console.error(
    'npm run soak needs a Postgres server for the shared ledger: set UPGATE_TEST_POSTGRES_URL (start one with eval "$(bash scripts/postgres-test.sh)").',
  );
  process.exit(2);
}

const whole = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`--${name} must be a positive whole number, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return n;
};

const durationS = whole("duration", values.duration);
const users = whole("users", values.users);
const instances = whole("instances", values.instances);
const seed = whole("seed", values.seed);
const maxFileSize = parseSize(values["max-size"]);

const report = await runSoak({
  postgresUrl,
  durationMs: durationS * 1000,
  users,
  instances,
  maxFileSize,
  seed,
  log: (line) => console.log(line),
});
console.log(`\n${formatReport(report)}`);

if (!values["no-docs"]) {
  const flags = [
    durationS !== 120 && `--duration ${durationS}`,
    users !== 200 && `--users ${users}`,
    instances !== 3 && `--instances ${instances}`,
    values["max-size"] !== "50MiB" && `--max-size ${values["max-size"]}`,
    seed !== 1 && `--seed ${seed}`,
  ].filter(Boolean);
  const command = `npm run soak${flags.length ? ` -- ${flags.join(" ")}` : ""}`;
  updateSection("docs/reliability.md", "soak", reportMarkdown(report, command));
  console.log("wrote the soak section of docs/reliability.md");
}
process.exit(report.problems.length === 0 ? 0 : 1);
