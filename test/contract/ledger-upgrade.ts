import { expect } from "vitest";
import { MIGRATIONS } from "../../src/server/ledger/migrations.js";
import type { Ledger } from "../../src/server/ledger/types.js";
import { newUpload } from "./ledger-support.js";

/** The id of the row a version-2 database holds before the upgrade. */
export const OLD_ROW_ID = "up_before_idempotency";

/**
 * SQL that builds a ledger as an upgate at schema version 2 left it, with one pending row: what
 * `migrate()` must upgrade in place.
 */
export function version2Database(dialect: "sqlite" | "postgres"): string {
  const sqlite = dialect === "sqlite";
  const steps = MIGRATIONS[dialect].filter((step) => step.version <= 2);
  const appliedAt = sqlite ? "0" : "now()";
  const time = sqlite ? String(Date.now() - 60_000) : "now() - interval '1 minute'";
  const expires = sqlite ? String(Date.now() + 600_000) : "now() + interval '10 minutes'";
  return [
    `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at ${sqlite ? "INTEGER" : "TIMESTAMPTZ"} NOT NULL)`,
    ...steps.map((step) => step.sql),
    ...steps.map((step) => `INSERT INTO schema_migrations VALUES (${step.version}, ${appliedAt})`),
    `INSERT INTO uploads (id, user_id, route, bucket, key, name, strategy, declared_size, declared_type,
       status, metadata, created_at, expires_at, updated_at)
     VALUES ('${OLD_ROW_ID}', 'user-1', 'images', 'uploads', 'images/old.png', 'old.png', 'put', 5,
       'image/png', 'pending', '{}', ${time}, ${expires}, ${time})`,
  ].join(";\n");
}

/** After migrate(): the old row is intact and unkeyed, and keyed reservations work. */
export async function expectUpgraded(ledger: Ledger): Promise<void> {
  await ledger.migrate();
  const status = await ledger.migrationStatus();
  expect(status.current).toBe(status.latest);
  // Migration 6: the old row counts against its user as its quota subject, with no capability.
  expect(await ledger.get(OLD_ROW_ID)).toMatchObject({
    status: "pending",
    verifiedEtag: null,
    quotaSubject: "user-1",
    capabilityHash: null,
    downloadTokenHash: null,
  });
  const row = newUpload({ idempotency: { key: "after-upgrade", requestHash: "h" } });
  const quota = { userId: "user-1", route: "images", limit: {}, now: new Date() };
  expect(await ledger.reserve([row], quota)).toEqual({ ok: true });
  expect((await ledger.reserve([newUpload({ idempotency: row.idempotency! })], quota)).ok).toBe(true);
  expect((await ledger.findIdempotent("user-1", "after-upgrade"))?.rows.map((r) => r.id)).toEqual([row.id]);
  expect(await ledger.usage("user-1", "images", undefined, new Date())).toEqual({
    bytes: 5 + row.declaredSize,
    files: 2,
  });
}
