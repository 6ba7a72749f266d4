import { describe, test } from "vitest";
import { createPostgresLedger } from "../../src/server/ledger/postgres.js";
import { createScratchSchema } from "../support/postgres-schema.js";
import type { LedgerDatabase } from "./ledger-support.js";

const HOW_TO_START = 'eval "$(bash scripts/postgres-test.sh)"';

/**
 * A suite that needs the test server at UPGATE_TEST_POSTGRES_URL. Without it the suite fails in CI
 * (CI=true), where Postgres suites never skip; on a developer's machine it is skipped, saying why.
 */
export function describePostgres(name: string, body: (url: string) => void): void {
  const url = process.env.UPGATE_TEST_POSTGRES_URL;
  if (url) {
    describe(name, () => body(url));
  } else if (process.env.CI === "true") {
    describe(name, () => {
      test("has a Postgres server to run against", () => {
        throw new Error(
          `UPGATE_TEST_POSTGRES_URL is not set, and CI=true: the Postgres suites never skip in CI. Run ${HOW_TO_START} before the tests.`,
        );
      });
    });
  } else {
    // The body still registers its tests, so the report counts them as skipped rather than hiding them.
    describe.skip(`${name} (skipped: UPGATE_TEST_POSTGRES_URL is not set; start a server with ${HOW_TO_START})`, () => {
      body("");
    });
  }
}

/** A fresh schema on the test server for each ledger (see createScratchSchema). */
export async function createTestSchema(url: string): Promise<LedgerDatabase> {
  const { schema, drop } = await createScratchSchema(url, "ledger_test");
  return {
    open: () => createPostgresLedger(url, { pool: { options: `-c search_path=${schema}` } }),
    dispose: drop,
  };
}
