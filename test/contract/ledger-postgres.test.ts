import pg from "pg";
import { expect, test, vi } from "vitest";
import { createPostgresLedger } from "../../src/server/ledger/postgres.js";
import { adminQuery, createScratchSchema } from "../support/postgres-schema.js";
import { defineLedgerContract } from "./ledger.contract.js";
import { createTestSchema, describePostgres } from "./ledger-postgres-env.js";
import { expectUpgraded, version2Database } from "./ledger-upgrade.js";
import { expectUsageReadOnlyWhenCapped } from "./ledger-usage-reads.js";

describePostgres("postgres ledger", (url) => {
  defineLedgerContract("postgres", () => createTestSchema(url));

  test("migrate() upgrades a version-2 database with rows to idempotency keys", async () => {
    const { schema, drop } = await createScratchSchema(url, "ledger_upgrade");
    const ledger = createPostgresLedger(url, { pool: { options: `-c search_path=${schema}` } });
    try {
      await adminQuery(url, `SET search_path = ${schema};\n${version2Database("postgres")}`);
      await expectUpgraded(ledger);
    } finally {
      await ledger.close();
      await drop();
    }
  });

  test("reserve() reads a quota sum only for a limit that caps bytes or files", async () => {
    const database = await createTestSchema(url);
    const ledger = database.open();
    // The pool's clients are pg.Client instances: the spy sees every query the ledger sends.
    const query = vi.spyOn(pg.Client.prototype, "query");
    let seen = 0;
    const sumsRead = () => {
      const sums = query.mock.calls
        .slice(seen)
        .filter(([sql]) => typeof sql === "string" && /\bSUM\(/.test(sql)).length;
      seen = query.mock.calls.length;
      return sums;
    };
    try {
      await ledger.migrate();
      await expectUsageReadOnlyWhenCapped(ledger, sumsRead);
      expect(query).toHaveBeenCalled();
    } finally {
      query.mockRestore();
      await ledger.close();
      await database.dispose();
    }
  });

  test("an unreachable server surfaces as a rejected call, not a hang or a swallowed error", async () => {
    const ledger = createPostgresLedger("postgres://nobody:wrong@127.0.0.1:1/none");
    try {
      await expect(ledger.ping()).rejects.toThrow(/ECONNREFUSED/);
      await expect(ledger.get("up_1")).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await ledger.close();
    }
  });

  test("a wrong password surfaces as an authentication error", async () => {
    const wrong = new URL(url);
    wrong.password = "not-the-password";
    const ledger = createPostgresLedger(wrong.toString());
    try {
      await expect(ledger.migrate()).rejects.toThrow(/password authentication failed/);
    } finally {
      await ledger.close();
    }
  });
});
