import { LEDGER_DRIVERS, withDriver } from "./driver.js";
import type { Ledger } from "./types.js";

/** Where the ledger is: a SQLite file, a Postgres URL, or an instance the caller made. */
export type LedgerSource =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string }
  | { kind: "instance"; ledger: Ledger };

/** How each ledger's module is loaded: its driver comes with it. Tests replace these to lose a driver. */
export interface LedgerModules {
  sqlite(): Promise<{ createSqliteLedger(path: string): Ledger }>;
  postgres(): Promise<{ createPostgresLedger(url: string): Ledger }>;
}

const MODULES: LedgerModules = {
  sqlite: () => import("./sqlite.js"),
  postgres: () => import("./postgres.js"),
};

/**
 * The configured ledger, its driver loaded only when used (better-sqlite3 and pg are optional peer
 * dependencies; a missing one rejects with MissingDriverError). A SQLite file's folder is created if missing.
 */
export async function openLedger(source: LedgerSource, modules: LedgerModules = MODULES): Promise<Ledger> {
  switch (source.kind) {
    case "instance":
      return source.ledger;
    case "sqlite": {
      if (source.path !== ":memory:") {
        const [{ mkdir }, { dirname }] = await Promise.all([import("node:fs/promises"), import("node:path")]);
        await mkdir(dirname(source.path), { recursive: true });
      }
      return withDriver(LEDGER_DRIVERS.sqlite, async () =>
        (await modules.sqlite()).createSqliteLedger(source.path),
      );
    }
    case "postgres":
      return withDriver(LEDGER_DRIVERS.postgres, async () =>
        (await modules.postgres()).createPostgresLedger(source.url),
      );
  }
}
