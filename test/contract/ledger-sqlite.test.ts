import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { test } from "vitest";
import { createSqliteLedger } from "../../src/server/ledger/sqlite.js";
import { defineLedgerContract } from "./ledger.contract.js";
import { expectUpgraded, version2Database } from "./ledger-upgrade.js";

defineLedgerContract("sqlite", async () => {
  const dir = await mkdtemp(join(tmpdir(), "upgate-ledger-"));
  const path = join(dir, "ledger.db");
  return {
    open: () => createSqliteLedger(path),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

test("sqlite: migrate() upgrades a version-2 database with rows to idempotency keys", async () => {
  const dir = await mkdtemp(join(tmpdir(), "upgate-ledger-upgrade-"));
  const path = join(dir, "ledger.db");
  const db = new Database(path);
  db.exec(version2Database("sqlite"));
  db.close();
  const ledger = createSqliteLedger(path);
  try {
    await expectUpgraded(ledger);
  } finally {
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  }
});
