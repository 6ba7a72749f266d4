import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteLedger } from "../../src/server/ledger/sqlite.js";
import { defineLedgerContract } from "./ledger.contract.js";

defineLedgerContract("sqlite", async () => {
  const dir = await mkdtemp(join(tmpdir(), "upgate-ledger-"));
  const path = join(dir, "ledger.db");
  return {
    open: () => createSqliteLedger(path),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});
