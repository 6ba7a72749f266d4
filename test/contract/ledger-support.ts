import { randomUUID } from "node:crypto";
import { afterEach, beforeEach } from "vitest";
import type { Ledger, NewUpload } from "../../src/server/ledger/types.js";

/** One test's database: `open()` gives another, unmigrated ledger instance on it (a second gateway). */
export interface LedgerDatabase {
  open(): Ledger;
  /** Deletes the database; called after every ledger opened on it is closed. */
  dispose(): Promise<void>;
}

export type LedgerFactory = () => Promise<LedgerDatabase>;

export interface LedgerHarness {
  /** A migrated ledger on this test's fresh database. */
  readonly ledger: Ledger;
  /** Another instance on the same database, not migrated; closed after the test. */
  open(): Ledger;
  /** Another, empty database that nothing has migrated; opens instances on it. Removed after the test. */
  emptyDatabase(): Promise<{ open(): Ledger }>;
}

export function useLedger(factory: LedgerFactory): LedgerHarness {
  let databases: LedgerDatabase[] = [];
  let opened: Ledger[] = [];
  let main: Ledger | undefined;
  const tracked = (database: LedgerDatabase) => ({
    open(): Ledger {
      const ledger = database.open();
      opened.push(ledger);
      return ledger;
    },
  });
  const emptyDatabase = async () => {
    const database = await factory();
    databases.push(database);
    return tracked(database);
  };
  beforeEach(async () => {
    main = (await emptyDatabase()).open();
    await main.migrate();
  });
  afterEach(async () => {
    await Promise.all(opened.map((ledger) => ledger.close()));
    await Promise.all(databases.map((database) => database.dispose()));
    opened = [];
    databases = [];
    main = undefined;
  });
  return {
    get ledger() {
      if (!main) throw new Error("no ledger outside a test");
      return main;
    },
    open() {
      const first = databases[0];
      if (!first) throw new Error("no ledger outside a test");
      return tracked(first).open();
    },
    emptyDatabase,
  };
}

/** A moment in the past, whole seconds, so that rows made at offsets from it sort predictably. */
export const T0 = Math.floor(Date.now() / 1000) * 1000 - 86_400_000;
export const at = (offsetMs: number): Date => new Date(T0 + offsetMs);

export const MB = 1024 * 1024;

export function newUpload(overrides: Partial<NewUpload> = {}): NewUpload {
  const id = overrides.id ?? `up_${randomUUID()}`;
  return {
    id,
    userId: "user-1",
    route: "images",
    bucket: "uploads",
    key: `images/user-1/${id}.png`,
    name: "photo.png",
    strategy: "put",
    declaredSize: MB,
    declaredType: "image/png",
    sha256: null,
    multipartUploadId: null,
    partSize: null,
    partCount: null,
    clientIp: null,
    userAgent: null,
    metadata: {},
    createdAt: at(0),
    expiresAt: at(15 * 60_000),
    capabilityHash: null,
    downloadTokenHash: null,
    ...overrides,
    quotaSubject: overrides.quotaSubject ?? overrides.userId ?? "user-1",
  };
}

/** Reserves the rows with no limit, as setup for tests about other methods. */
export async function insertRows(ledger: Ledger, rows: NewUpload[]): Promise<void> {
  for (const row of rows) {
    const result = await ledger.reserve([row], {
      userId: row.userId,
      ...(row.quotaSubject !== undefined && { subject: row.quotaSubject }),
      route: row.route,
      limit: {},
      now: row.createdAt,
    });
    if (!result.ok) throw new Error(`setup: ${row.id} was refused`);
  }
}
