import Database from "better-sqlite3";
import type { UploadStatus } from "../../core/protocol.js";
import { createGroupCommit } from "./group-commit.js";
import { decodeCursor } from "./list-cursor.js";
import { LATEST_VERSION, MIGRATIONS, pendingMigrations } from "./migrations.js";
import { assertLimit, page } from "./page.js";
import {
  assertRowsMatchQuota,
  capsUsage,
  decideReservation,
  decideWithRouteCap,
  HOLDING_STATUS_SQL,
  windowStartMs,
} from "./quota.js";
import {
  insertValues,
  LEASE_ENDED,
  patchAssignments,
  toIdempotentRequest,
  toUploadRow,
  UPLOAD_COLUMNS,
} from "./row.js";
import { assertRate, CREDIT_PER_TOKEN, refilledCredit, retryAfterMs } from "./token-bucket.js";
import type { Ledger, QuotaUsage, RateResult, ReserveResult } from "./types.js";
import { walSync } from "./wal-sync.js";

type Raw = Record<string, unknown>;

const BUSY_TIMEOUT_MS = 5_000;
/**
 * WAL frames (pages) after which a COMMIT checkpoints them into the database file: 10,000 (40 MiB at
 * 4 KiB pages) instead of SQLite's 1,000. The checkpoint runs inside that COMMIT, on the event loop,
 * and with synchronous=NORMAL syncs the WAL and then the database file there. Fewer, larger
 * checkpoints fold more rewrites of the same index pages into one write and pay fewer fsyncs: for
 * 16 reservations per commit, about 6 µs less CPU per reservation on a new ledger and 6-56 µs less
 * (four rounds) on a 300,000-row one, where the event loop also spent 0.8 s instead of 2 s in checkpoints per
 * 16,000 reservations. Bounded, because each checkpoint stalls the event loop longer (there, 95-120
 * ms instead of about 35; 4,000 pages: 60-140 ms, and 1.1-1.5 s in all) and a crashed process's WAL
 * is read back whole at the next open (40 MiB: about 30 ms with the file in the page cache).
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;
/**
 * The WAL's size once a checkpoint has emptied it, if it grew past it (a reader in another process
 * held back the checkpoint). Above the checkpoint size, so in the steady state SQLite overwrites the
 * same file from its start and the group commit's fdatasync has no file size to sync.
 */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
const INSERT_SQL = `INSERT INTO uploads (${UPLOAD_COLUMNS.join(", ")}) VALUES (${UPLOAD_COLUMNS.map(() => "?").join(", ")})`;

// Two statements rather than "(? IS NULL OR created_at > ?)", so the window is a range of the
// covering index uploads_quota (migration 2) and the sum never reads the table.
const USAGE_SQL = `SELECT COALESCE(SUM(COALESCE(verified_size, declared_size)), 0) AS bytes, COUNT(*) AS files
  FROM uploads WHERE quota_subject = ? AND route = ? AND status IN (${HOLDING_STATUS_SQL})`;
const IDEMPOTENT_SQL =
  "SELECT * FROM uploads WHERE quota_subject = ? AND idempotency_key = ? ORDER BY file_index";
const USAGE_SINCE_SQL = `${USAGE_SQL} AND created_at > ?`;
// A route-wide cap's usage, over every subject (index uploads_route_quota, migration 6).
const ROUTE_USAGE_SQL = `SELECT COALESCE(SUM(COALESCE(verified_size, declared_size)), 0) AS bytes, COUNT(*) AS files
  FROM uploads WHERE route = ? AND status IN (${HOLDING_STATUS_SQL})`;
const ROUTE_USAGE_SINCE_SQL = `${ROUTE_USAGE_SQL} AND created_at > ?`;
const UPSERT_BUCKET_SQL = `INSERT INTO rate_buckets (bucket_key, credit, updated_ms) VALUES (?, ?, ?)
  ON CONFLICT (bucket_key) DO UPDATE SET credit = excluded.credit, updated_ms = excluded.updated_ms`;

const toMs = (date: Date): number => date.getTime();

/**
 * The ledger in one SQLite file (better-sqlite3). Several processes may share the file: reservations
 * and token takes run in BEGIN IMMEDIATE (batched, see group-commit.ts), which takes the write lock
 * up front, and waiters queue on busy_timeout; other writes are single statements.
 *
 * Durability: no method answers before the commits it made or may have read are synced to disk. A
 * lost "verified" would let the sweeper delete an object the client was told is stored, and a lost
 * reservation would hand out quota twice. In WAL mode the connection runs synchronous=NORMAL and
 * the group commit syncs the WAL itself, off the event loop (wal-sync.ts): synchronous=FULL's
 * guarantee without the event loop waiting for the disk. Other journal modes (a `:memory:` ledger)
 * keep synchronous=FULL.
 */
export function createSqliteLedger(path: string): Ledger {
  const db = new Database(path);
  // busy_timeout first: switching to WAL itself needs the lock another process may hold.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const wal = db.pragma("journal_mode = WAL", { simple: true }) === "wal";
  db.pragma(`synchronous = ${wal ? "NORMAL" : "FULL"}`);
  if (wal) {
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  }
  const walSyncer = wal ? walSync(db.name) : undefined;

  const statements = new Map<string, Database.Statement>();
  /** Prepared on first use: the tables exist only after migrate(). */
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const usage = (subject: string, route: string, periodMs: number | undefined, now: Date): QuotaUsage => {
    const since = windowStartMs(periodMs, now);
    const row = (
      since === undefined
        ? prepare(USAGE_SQL).get(subject, route)
        : prepare(USAGE_SINCE_SQL).get(subject, route, since)
    ) as { bytes: number; files: number };
    return { bytes: row.bytes, files: row.files };
  };

  const routeUsage = (route: string, periodMs: number | undefined, now: Date): QuotaUsage => {
    const since = windowStartMs(periodMs, now);
    const row = (
      since === undefined
        ? prepare(ROUTE_USAGE_SQL).get(route)
        : prepare(ROUTE_USAGE_SINCE_SQL).get(route, since)
    ) as { bytes: number; files: number };
    return { bytes: row.bytes, files: row.files };
  };

  const findIdempotent = (subject: string, key: string) =>
    toIdempotentRequest(prepare(IDEMPOTENT_SQL).all(subject, key) as Raw[]);

  /**
   * One reservation, inside the batch's transaction: the usage it checks includes earlier ones, and
   * the write lock makes the Idempotency-Key lookup and the insert one step for every process.
   */
  const reserveOne = (
    rows: Parameters<Ledger["reserve"]>[0],
    quota: Parameters<Ledger["reserve"]>[1],
    subject: string,
  ): ReserveResult => {
    const tag = rows[0]?.idempotency;
    const existing = tag && findIdempotent(subject, tag.key);
    if (existing) return { ok: true, existing };
    // A route without a per-subject quota (limit {}) admits every reservation: no sum to read.
    const decision = decideWithRouteCap(
      capsUsage(quota.limit)
        ? decideReservation(usage(subject, quota.route, quota.limit.periodMs, quota.now), rows, quota.limit)
        : { ok: true },
      rows,
      quota.routeLimit,
      () => routeUsage(quota.route, quota.routeLimit?.periodMs, quota.now),
    );
    if (decision.ok) {
      const insert = prepare(INSERT_SQL);
      for (let index = 0; index < rows.length; index++) insert.run(insertValues(rows[index]!, toMs, index));
    }
    return decision;
  };

  const takeOne = (bucketKey: string, perMinute: number, nowMs: number): RateResult => {
    const stored = prepare("SELECT credit, updated_ms FROM rate_buckets WHERE bucket_key = ?").get(
      bucketKey,
    ) as { credit: number; updated_ms: number } | undefined;
    const credit = stored
      ? refilledCredit(stored.credit, stored.updated_ms, perMinute, nowMs)
      : perMinute * CREDIT_PER_TOKEN;
    if (credit < CREDIT_PER_TOKEN) return { ok: false, retryAfterMs: retryAfterMs(credit, perMinute) };
    prepare(UPSERT_BUCKET_SQL).run(
      bucketKey,
      credit - CREDIT_PER_TOKEN,
      Math.max(nowMs, stored?.updated_ms ?? nowMs),
    );
    return { ok: true, retryAfterMs: 0 };
  };

  // Reservations and token takes of one event-loop turn share one IMMEDIATE transaction and one
  // sync (group-commit.ts); each still runs in order, in its own savepoint unless its one INSERT or
  // UPSERT is its only write (a failing statement undoes itself).
  const group = createGroupCommit(db, walSyncer ? { sync: walSyncer.sync } : {});
  const { durable, settled } = group;

  const migrate = db.transaction(() => {
    db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT",
    );
    const applied = db.prepare("SELECT version FROM schema_migrations").pluck().all() as number[];
    for (const step of pendingMigrations(MIGRATIONS.sqlite, applied)) {
      db.exec(step.sql);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(
        step.version,
        Date.now(),
      );
    }
  });

  return {
    async migrate() {
      migrate.immediate();
      return durable(undefined);
    },

    async migrationStatus() {
      const table = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        .get();
      const current = table
        ? (db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").pluck().get() as number)
        : 0;
      return { current, latest: LATEST_VERSION };
    },

    async ping() {
      db.prepare("SELECT 1").get();
    },

    async close() {
      group.flush();
      // Callers of the last batches settle (and the descriptor is free) before the connection goes.
      await settled(undefined).catch(() => {});
      walSyncer?.close();
      db.close();
    },

    async reserve(rows, quota) {
      const subject = assertRowsMatchQuota(rows, quota);
      return group.run(() => reserveOne(rows, quota, subject), { atomic: rows.length === 1 });
    },

    async usage(subject, route, periodMs, now) {
      return settled(usage(subject, route, periodMs, now));
    },

    async findIdempotent(subject, key) {
      return settled(findIdempotent(subject, key));
    },

    async get(id) {
      const raw = prepare("SELECT * FROM uploads WHERE id = ?").get(id) as Raw | undefined;
      return settled(raw && toUploadRow(raw));
    },

    async transition(id, from, to, patch = {}) {
      const assignments: Array<[string, unknown]> = [
        ["status", to],
        ["updated_at", Date.now()],
        ...patchAssignments(patch, toMs),
        ...LEASE_ENDED,
      ];
      const raw = prepare(
        `UPDATE uploads SET ${assignments.map(([column]) => `${column} = ?`).join(", ")}
         WHERE id = ? AND status IN (SELECT value FROM json_each(?)) RETURNING *`,
      ).get(...assignments.map(([, value]) => value), id, JSON.stringify(from)) as Raw | undefined;
      return durable(raw && toUploadRow(raw));
    },

    async claimVerification(id, leaseId, until, now) {
      const raw = prepare(
        `UPDATE uploads SET verify_lease_id = ?, verify_lease_until = ?
         WHERE id = ? AND status = 'uploaded' AND (verify_lease_until IS NULL OR verify_lease_until <= ?)
         RETURNING *`,
      ).get(leaseId, until.getTime(), id, now.getTime()) as Raw | undefined;
      return durable(raw && toUploadRow(raw));
    },

    async renewVerification(id, leaseId, until) {
      const result = prepare(
        "UPDATE uploads SET verify_lease_until = ? WHERE id = ? AND status = 'uploaded' AND verify_lease_id = ?",
      ).run(until.getTime(), id, leaseId);
      return durable(result.changes > 0);
    },

    async releaseVerification(id, leaseId) {
      prepare(
        "UPDATE uploads SET verify_lease_id = NULL, verify_lease_until = NULL WHERE id = ? AND verify_lease_id = ?",
      ).run(id, leaseId);
      return durable(undefined);
    },

    async extendExpiry(id, expiresAt) {
      prepare(
        `UPDATE uploads SET expires_at = MAX(expires_at, ?), updated_at = ? WHERE id = ? AND status = 'pending'`,
      ).run(expiresAt.getTime(), Date.now(), id);
      return durable(undefined);
    },

    async list(query) {
      assertLimit(query.limit);
      const where = ["user_id = ?"];
      const params: unknown[] = [query.userId];
      if (query.route !== undefined) {
        where.push("route = ?");
        params.push(query.route);
      }
      if (query.status !== undefined) {
        where.push("status = ?");
        params.push(query.status);
      }
      if (query.cursor !== undefined) {
        const after = decodeCursor(query.cursor);
        where.push("(created_at, id) < (?, ?)");
        params.push(after.createdAtMs, after.id);
      }
      const raws = prepare(
        `SELECT * FROM uploads WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT ?`,
      ).all(...params, query.limit + 1) as Raw[];
      return settled(page(raws.map(toUploadRow), query.limit));
    },

    async findStale(before, limit) {
      assertLimit(limit);
      const raws = prepare(
        `SELECT * FROM uploads WHERE status IN ('pending', 'uploaded') AND expires_at < ?
         ORDER BY expires_at, id LIMIT ?`,
      ).all(before.getTime(), limit) as Raw[];
      return settled(raws.map(toUploadRow));
    },

    async ownsKey(bucket, key, statuses: readonly UploadStatus[]) {
      const found = prepare(
        `SELECT 1 FROM uploads WHERE bucket = ? AND key = ? AND status IN (SELECT value FROM json_each(?)) LIMIT 1`,
      ).get(bucket, key, JSON.stringify(statuses));
      return settled(found !== undefined);
    },

    async takeToken(bucketKey, perMinute, now) {
      assertRate(perMinute);
      const nowMs = now.getTime();
      return group.run(() => takeOne(bucketKey, perMinute, nowMs), { atomic: true });
    },
  };
}
