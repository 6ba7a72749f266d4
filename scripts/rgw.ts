/**
 * npm run test:rgw
 *
 * The suites in test/rgw against the Ceph RGW started by scripts/ceph-rgw-up.sh: the gateway's flow
 * (PUT, POST, multipart, bad bytes caught at completion), `upgate doctor`, the compatibility probes
 * (which write the "compatibility" section of docs/production.md and the "rgw" section of
 * docs/reliability.md) and, with UPGATE_TEST_POSTGRES_URL, a short soak. Prints the matrix after.
 *
 *   eval "$(bash scripts/ceph-rgw-up.sh)" && npm run test:rgw
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { PRODUCTION_DOC } from "../test/rgw/compat/matrix.js";
import { rgwFromEnv } from "../test/rgw/env.js";

if (!rgwFromEnv()) {
  console.error(
    'npm run test:rgw needs Ceph RGW: set UPGATE_TEST_RGW_URL, UPGATE_TEST_RGW_ACCESS_KEY and UPGATE_TEST_RGW_SECRET_KEY (start it with eval "$(bash scripts/ceph-rgw-up.sh)").',
  );
  process.exit(2);
}
if (!process.env.UPGATE_TEST_POSTGRES_URL) {
  console.error(
    'UPGATE_TEST_POSTGRES_URL is not set: the RGW soak is skipped (start Postgres with eval "$(bash scripts/postgres-test.sh)").',
  );
}

const run = spawnSync("npx", ["vitest", "run", "test/rgw"], { stdio: "inherit", env: process.env });

const doc = readFileSync(PRODUCTION_DOC, "utf8");
const start = doc.indexOf("<!-- generated:compatibility -->");
const end = doc.indexOf("<!-- /generated:compatibility -->");
if (start !== -1 && end > start) {
  const rows = doc
    .slice(start, end)
    .split("\n")
    .filter((line) => line.startsWith("| "))
    // The measured columns only: capability, embedded store, RGW (the documented ones are in the doc).
    .map((line) => `${line.split(" | ").slice(0, 3).join(" | ")} |`);
  console.log(`\n${rows.join("\n")}\n\nThe whole matrix: docs/production.md (Storage compatibility).`);
}
process.exit(run.status ?? 1);
