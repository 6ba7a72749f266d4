import type { LedgerSource } from "../config/resolved.js";
import type { Ledger } from "../ledger/types.js";

/**
 * The configured ledger, its driver loaded only when used (better-sqlite3 and pg are not needed
 * by a gateway that uses the other). A SQLite file's folder is created if missing.
 */
export async function openLedger(source: LedgerSource): Promise<Ledger> {
  switch (source.kind) {
    case "instance":
      return source.ledger;
    case "sqlite": {
      if (source.path !== ":memory:") {
        const [{ mkdir }, { dirname }] = await Promise.all([import("node:fs/promises"), import("node:path")]);
        await mkdir(dirname(source.path), { recursive: true });
      }
      const { createSqliteLedger } = await import("../ledger/sqlite.js");
      return createSqliteLedger(source.path);
    }
    case "postgres": {
      const { createPostgresLedger } = await import("../ledger/postgres.js");
      return createPostgresLedger(source.url);
    }
  }
}
