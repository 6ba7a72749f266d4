/**
 * `npm run faults`: the long variant of test/faults (many kills per phase; every fault kind), run
 * through vitest with UPGATE_FAULTS_LONG=1. Each suite appends its totals to a report file; this
 * prints them, writes the "faults" section of docs/reliability.md, and exits non-zero when a test
 * failed, an object was lost or corrupted, or the run made fewer kills than it should.
 *
 *   npm run faults                      # SQLite ledger; Postgres too when UPGATE_TEST_POSTGRES_URL is set
 *   UPGATE_FAULT_SEED=123 npm run faults
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SuiteTotals } from "../test/faults/report.js";
import { table, updateSection } from "./doc-sections.js";

const MIN_KILLS = 50;
const COMMAND = "npm run faults";

const dir = mkdtempSync(join(tmpdir(), "upgate-faults-report-"));
const reportFile = join(dir, "totals.jsonl");
const started = Date.now();
const run = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "test/faults"], {
  stdio: "inherit",
  env: { ...process.env, UPGATE_FAULTS_LONG: "1", UPGATE_FAULTS_REPORT: reportFile },
});
const seconds = Math.round((Date.now() - started) / 1000);
const suites: SuiteTotals[] = existsSync(reportFile)
  ? readFileSync(reportFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as SuiteTotals)
  : [];
rmSync(dir, { recursive: true, force: true });

const sum = (pick: (s: SuiteTotals) => number) => suites.reduce((total, s) => total + pick(s), 0);
const totals = {
  kills: sum((s) => s.kills),
  killsSurvived: sum((s) => s.killsSurvived),
  faultsInjected: sum((s) => s.faultsInjected),
  faultsSurvived: sum((s) => s.faultsSurvived),
  lost: sum((s) => s.lostOrCorrupted.length),
  problems: sum((s) => s.problems.length),
};

const rows = suites.map((s) => [
  s.suite,
  s.kills,
  s.killsSurvived,
  s.faultsInjected,
  s.faultsSurvived,
  s.acknowledged,
  s.interrupted,
  s.sweepsCut,
  s.completesRetried,
  s.objectsVerified,
  s.lostOrCorrupted.length,
  s.problems.length,
]);
const header = [
  "Suite",
  "Kills",
  "Kills survived",
  "Faults injected",
  "Faults survived",
  "Requests answered",
  "Requests cut off",
  "Sweeps cut",
  "Completes retried",
  "Verified objects re-read",
  "Objects lost or corrupted",
  "Other problems",
];
const summary =
  `${totals.kills} kills (${totals.killsSurvived} survived), ${totals.faultsInjected} faults injected ` +
  `(${totals.faultsSurvived} survived); objects lost or corrupted: ${totals.lost}; other problems: ${totals.problems}`;
const postgres = process.env.UPGATE_TEST_POSTGRES_URL ? "SQLite and Postgres ledgers" : "SQLite ledger only";

console.log(`\nfaults (${seconds} s, ${postgres}):\n${table(header, rows)}\n\n${summary}`);
for (const s of suites)
  for (const line of [...s.lostOrCorrupted, ...s.problems]) console.log(`  ${s.suite}: ${line}`);

const failed: string[] = [];
if (run.status !== 0) failed.push(`vitest exited with ${run.status ?? run.signal}`);
if (totals.lost > 0) failed.push(`${totals.lost} object(s) lost or corrupted`);
if (totals.problems > 0) failed.push(`${totals.problems} other problem(s)`);
if (totals.kills < MIN_KILLS) failed.push(`only ${totals.kills} kills (at least ${MIN_KILLS} expected)`);
if (totals.killsSurvived !== totals.kills) failed.push("not every kill was survived");
if (totals.faultsSurvived !== totals.faultsInjected) failed.push("not every fault was survived");

if (failed.length === 0) {
  updateSection(
    "docs/reliability.md",
    "faults",
    [
      "## Crash and fault tests",
      "",
      `Reproduce with \`${COMMAND}\` (the long variant, ${seconds} s here, ${postgres}; set UPGATE_TEST_POSTGRES_URL for both). ` +
        "`npx vitest run test/faults` runs the short variant that `npm test` includes. " +
        `Kill timings are seeded (UPGATE_FAULT_SEED, default 20261128). Last run: ${new Date().toISOString().slice(0, 10)}.`,
      "",
      table(header, rows),
      "",
      `**Totals: ${summary}.**`,
      "",
      "- **kill -9 of the gateway** (test/faults/gateway-kill.test.ts): the gateway runs in a child process, the store in another that keeps running. Concurrent clients create, PUT and complete; the gateway is SIGKILLed at a seeded moment during creates, during completes, or during a sweep, and restarted. After every restart each answered create has its row, each upload answered `verified` is verified with its exact bytes, `uploaded` appears only where a complete was sent, rows no client heard of are pending with no object, and every object is bytes a client PUT. The clients then retry the completes the kill cut off, and they verify. After the last kill a full sweep must leave nothing pending or uploaded, the bucket holding exactly the verified objects and no multipart upload, each user's quota usage equal to their verified bytes, and the API must accept a reservation of exactly the remaining quota and refuse one byte more.",
      "- **Postgres connection terminated mid-transaction** (test/faults/postgres-terminate.test.ts): an admin connection holds a lock the gateway's transaction waits on (the reservation's advisory lock; the uploads table, so the INSERT waits after the quota read; a row, so a complete's status change waits), then `pg_terminate_backend` kills the gateway's backend. The request answers 503 `LEDGER_UNAVAILABLE`, no row is half-written, and the next request succeeds on a fresh connection.",
      "- **Storage cut off mid-completion** (test/faults/storage-cut.test.ts): a proxy cuts the storage at the sniffing GET after the HEAD, right after CompleteMultipartUpload, or during it (the store completes the object, the answer is lost). The complete answers 503 `STORAGE_UNAVAILABLE`, the upload stays `uploaded`, and the retried complete verifies it.",
      "- **Disk full** (test/faults/disk-full.test.ts): the store on a 16 MiB tmpfs (ENOSPC injected where mounting is refused, and the run says so). Writes are refused with S3's `InternalError` (500, the code MinIO answers for a write that hits ENOSPC; AWS S3 has no disk-full error) naming the cause; earlier objects stay byte-identical, nothing partial is visible, a refused CompleteMultipartUpload keeps its parts, no temporary file is left, and the writes succeed once space is freed, also after a restart.",
    ].join("\n"),
  );
  console.log("\nwrote the faults section of docs/reliability.md");
} else {
  console.error(`\nfaults FAILED: ${failed.join("; ")} (docs/reliability.md left unchanged)`);
}
process.exit(failed.length === 0 ? 0 : 1);
