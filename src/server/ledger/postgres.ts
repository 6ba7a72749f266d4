import pg from "pg";
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
import type { Ledger, NewUpload, QuotaUsage, ReserveResult } from "./types.js";

type Queryable = pg.Pool | pg.PoolClient;

/** Two-key advisory lock for migrations; single-key locks (reservations) live in a separate key space. */
const MIGRATION_LOCK = [0x75706761, 1] as const;
/** Rows per INSERT statement: 30 parameters each, well under Postgres's 65535. */
const INSERT_CHUNK = 500;

const toDate = (date: Date): Date => date;

export interface PostgresLedgerOptions {
  pool?: pg.PoolConfig;
}

/**
 * The ledger in Postgres, for several gateway instances sharing one database. Reservations serialize
 * per user and route on a transaction-scoped advisory lock; every other write is a single statement.
 */
export function createPostgresLedger(url: string, options: PostgresLedgerOptions = {}): Ledger {
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 10_000, ...options.pool });
  // An idle connection that dies (server restart) is dropped from the pool; the error has no caller to
  // reach here, and the next query that cannot connect rejects with it. Without a listener it would crash
  // the process.
  pool.on("error", () => {});
  let closed = false;

  /**
   * A client checked out of the pool has no 'error' listener (pg-pool removes its own until release),
   * so a connection killed while it is out (pg_terminate_backend, a server restart) would emit an
   * unhandled 'error' and crash the process. The query in flight rejects by itself; this listener
   * only keeps the event from being fatal, and is removed once the pool has the client back.
   */
  async function checkOut(): Promise<{ client: pg.PoolClient; release: (error?: Error) => void }> {
    const client = await pool.connect();
    const ignore = () => {};
    client.on("error", ignore);
    return {
      client,
      release(error) {
        client.release(error);
        client.off("error", ignore);
      },
    };
  }

  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const { client, release } = await checkOut();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      release();
      return result;
    } catch (error) {
      // A failed ROLLBACK means the connection is broken: destroy it rather than return it to the pool.
      const rollbackError = await client.query("ROLLBACK").then(
        () => undefined,
        (failure: Error) => failure,
      );
      release(rollbackError);
      throw error;
    }
  }

  async function usage(
    db: Queryable,
    subject: string,
    route: string,
    periodMs: number | undefined,
    now: Date,
  ): Promise<QuotaUsage> {
    const since = windowStartMs(periodMs, now);
    const { rows } = await db.query(
      `SELECT COALESCE(SUM(COALESCE(verified_size, declared_size)), 0) AS bytes, COUNT(*) AS files
       FROM uploads WHERE quota_subject = $1 AND route = $2 AND status IN (${HOLDING_STATUS_SQL})
       AND ($3::timestamptz IS NULL OR created_at > $3::timestamptz)`,
      [subject, route, since === undefined ? null : new Date(since)],
    );
    return { bytes: Number(rows[0].bytes), files: Number(rows[0].files) };
  }

  /** A route-wide cap's usage, over every subject. */
  async function routeUsage(
    db: Queryable,
    route: string,
    periodMs: number | undefined,
    now: Date,
  ): Promise<QuotaUsage> {
    const since = windowStartMs(periodMs, now);
    const { rows } = await db.query(
      `SELECT COALESCE(SUM(COALESCE(verified_size, declared_size)), 0) AS bytes, COUNT(*) AS files
       FROM uploads WHERE route = $1 AND status IN (${HOLDING_STATUS_SQL})
       AND ($2::timestamptz IS NULL OR created_at > $2::timestamptz)`,
      [route, since === undefined ? null : new Date(since)],
    );
    return { bytes: Number(rows[0].bytes), files: Number(rows[0].files) };
  }

  async function insert(client: pg.PoolClient, rows: readonly NewUpload[]): Promise<void> {
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK);
      const tuples = chunk.map(
        (_, row) =>
          `(${UPLOAD_COLUMNS.map((_, column) => `$${row * UPLOAD_COLUMNS.length + column + 1}`).join(", ")})`,
      );
      await client.query(
        `INSERT INTO uploads (${UPLOAD_COLUMNS.join(", ")}) VALUES ${tuples.join(", ")}`,
        chunk.flatMap((row, index) => insertValues(row, toDate, start + index)),
      );
    }
  }

  async function findIdempotent(db: Queryable, subject: string, key: string) {
    const { rows } = await db.query(
      "SELECT * FROM uploads WHERE quota_subject = $1 AND idempotency_key = $2 ORDER BY file_index",
      [subject, key],
    );
    return toIdempotentRequest(rows);
  }

  async function applyMigrations(client: pg.PoolClient): Promise<void> {
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)",
    );
    const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
    for (const step of pendingMigrations(
      MIGRATIONS.postgres,
      rows.map((row) => row.version),
    )) {
      await client.query("BEGIN");
      await client.query(step.sql);
      await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())", [
        step.version,
      ]);
      await client.query("COMMIT");
    }
  }

  return {
    async migrate() {
      const { client, release } = await checkOut();
      try {
        // A session lock, not a transaction one: each step commits on its own while the lock is held.
        await client.query("SELECT pg_advisory_lock($1, $2)", [...MIGRATION_LOCK]);
        await applyMigrations(client);
        await client.query("SELECT pg_advisory_unlock($1, $2)", [...MIGRATION_LOCK]);
      } catch (error) {
        // Destroying the connection ends its session: its open transaction and its lock go with it.
        release(error as Error);
        throw error;
      }
      release();
    },

    async migrationStatus() {
      const { rows } = await pool.query<{ table: string | null }>(
        `SELECT to_regclass('schema_migrations')::text AS table`,
      );
      if (rows[0]?.table == null) return { current: 0, latest: LATEST_VERSION };
      const result = await pool.query<{ current: number }>(
        "SELECT COALESCE(MAX(version), 0) AS current FROM schema_migrations",
      );
      return { current: Number(result.rows[0]?.current), latest: LATEST_VERSION };
    },

    async ping() {
      await pool.query("SELECT 1");
    },

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },

    async reserve(rows, quota) {
      const subject = assertRowsMatchQuota(rows, quota);
      const tag = rows[0]?.idempotency;
      return transaction(async (client): Promise<ReserveResult> => {
        if (tag) {
          // Same-key requests may name different routes, so the route lock below does not order them:
          // this one does (taken first by every tagged reservation, so the two locks cannot deadlock).
          await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
            JSON.stringify(["upgate.idempotency", subject, tag.key]),
          ]);
          const existing = await findIdempotent(client, subject, tag.key);
          if (existing) return { ok: true, existing };
        }
        await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
          JSON.stringify(["upgate.reserve", subject, quota.route]),
        ]);
        // Locks are always taken in this order (key, subject, route), so two reservations cannot deadlock.
        const routeLimit = quota.routeLimit;
        if (routeLimit) {
          await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
            JSON.stringify(["upgate.route-cap", quota.route]),
          ]);
        }
        // A limit of neither bytes nor files admits every reservation: no sum to read.
        const used = capsUsage(quota.limit)
          ? await usage(client, subject, quota.route, quota.limit.periodMs, quota.now)
          : undefined;
        const routeUsed =
          routeLimit && capsUsage(routeLimit)
            ? await routeUsage(client, quota.route, routeLimit.periodMs, quota.now)
            : undefined;
        const decision = decideWithRouteCap(
          used ? decideReservation(used, rows, quota.limit) : { ok: true },
          rows,
          routeLimit,
          () => routeUsed!,
        );
        if (decision.ok) await insert(client, rows);
        return decision;
      }).catch(async (error: unknown) => {
        // The lock makes this unreachable between upgates of this version; an older one without it
        // could still race, and then the unique index decides and the winner's rows are the answer.
        const existing =
          tag && (error as { constraint?: unknown }).constraint === "uploads_idempotency"
            ? await findIdempotent(pool, subject, tag.key)
            : undefined;
        if (!existing) throw error;
        return { ok: true, existing } satisfies ReserveResult;
      });
    },

    async findIdempotent(subject, key) {
      return findIdempotent(pool, subject, key);
    },

    async usage(subject, route, periodMs, now) {
      return usage(pool, subject, route, periodMs, now);
    },

    async get(id) {
      const { rows } = await pool.query("SELECT * FROM uploads WHERE id = $1", [id]);
      return rows[0] && toUploadRow(rows[0]);
    },

    async transition(id, from, to, patch = {}) {
      const assignments: Array<[string, unknown]> = [
        ["status", to],
        ["updated_at", new Date()],
        ...patchAssignments(patch, toDate),
        ...LEASE_ENDED,
      ];
      const values = assignments.map(([, value]) => value);
      const { rows } = await pool.query(
        `UPDATE uploads SET ${assignments.map(([column], index) => `${column} = $${index + 1}`).join(", ")}
         WHERE id = $${values.length + 1} AND status = ANY($${values.length + 2}::text[]) RETURNING *`,
        [...values, id, [...from]],
      );
      return rows[0] && toUploadRow(rows[0]);
    },

    async claimVerification(id, leaseId, until, now) {
      const { rows } = await pool.query(
        `UPDATE uploads SET verify_lease_id = $1, verify_lease_until = $2
         WHERE id = $3 AND status = 'uploaded' AND (verify_lease_until IS NULL OR verify_lease_until <= $4)
         RETURNING *`,
        [leaseId, until, id, now],
      );
      return rows[0] && toUploadRow(rows[0]);
    },

    async renewVerification(id, leaseId, until) {
      const result = await pool.query(
        "UPDATE uploads SET verify_lease_until = $1 WHERE id = $2 AND status = 'uploaded' AND verify_lease_id = $3",
        [until, id, leaseId],
      );
      return result.rowCount === 1;
    },

    async releaseVerification(id, leaseId) {
      await pool.query(
        "UPDATE uploads SET verify_lease_id = NULL, verify_lease_until = NULL WHERE id = $1 AND verify_lease_id = $2",
        [id, leaseId],
      );
    },

    async extendExpiry(id, expiresAt) {
      await pool.query(
        `UPDATE uploads SET expires_at = GREATEST(expires_at, $1), updated_at = now()
         WHERE id = $2 AND status = 'pending'`,
        [expiresAt, id],
      );
    },

    async list(query) {
      assertLimit(query.limit);
      const params: unknown[] = [query.userId];
      const where = ["user_id = $1"];
      const bind = (value: unknown): string => {
        params.push(value);
        return `$${params.length}`;
      };
      if (query.route !== undefined) where.push(`route = ${bind(query.route)}`);
      if (query.status !== undefined) where.push(`status = ${bind(query.status)}`);
      if (query.cursor !== undefined) {
        const after = decodeCursor(query.cursor);
        where.push(
          `(created_at, id) < (${bind(new Date(after.createdAtMs))}::timestamptz, ${bind(after.id)}::text)`,
        );
      }
      const { rows } = await pool.query(
        `SELECT * FROM uploads WHERE ${where.join(" AND ")}
         ORDER BY created_at DESC, id DESC LIMIT ${bind(query.limit + 1)}`,
        params,
      );
      return page(rows.map(toUploadRow), query.limit);
    },

    async findStale(before, limit) {
      assertLimit(limit);
      const { rows } = await pool.query(
        `SELECT * FROM uploads WHERE status IN ('pending', 'uploaded') AND expires_at < $1
         ORDER BY expires_at, id LIMIT $2`,
        [before, limit],
      );
      return rows.map(toUploadRow);
    },

    async ownsKey(bucket, key, statuses) {
      const { rows } = await pool.query(
        "SELECT 1 FROM uploads WHERE bucket = $1 AND key = $2 AND status = ANY($3::text[]) LIMIT 1",
        [bucket, key, [...statuses]],
      );
      return rows.length > 0;
    },

    async takeToken(bucketKey, perMinute, now) {
      assertRate(perMinute);
      const nowMs = now.getTime();
      // One statement takes a token when the refilled credit allows it; no row back means refused.
      const refilled =
        "LEAST($2::float8 * $4::float8, b.credit + GREATEST($3::bigint - b.updated_ms, 0) * $2::float8)";
      const taken = await pool.query(
        `INSERT INTO rate_buckets AS b (bucket_key, credit, updated_ms) VALUES ($1, $2::float8 * $4::float8 - $4::float8, $3::bigint)
         ON CONFLICT (bucket_key) DO UPDATE
           SET credit = ${refilled} - $4::float8, updated_ms = GREATEST(b.updated_ms, $3::bigint)
           WHERE ${refilled} >= $4::float8
         RETURNING credit`,
        [bucketKey, perMinute, nowMs, CREDIT_PER_TOKEN],
      );
      if (taken.rowCount === 1) return { ok: true, retryAfterMs: 0 };
      const { rows } = await pool.query<{ credit: number; updated_ms: string }>(
        "SELECT credit, updated_ms FROM rate_buckets WHERE bucket_key = $1",
        [bucketKey],
      );
      const stored = rows[0]!;
      const credit = refilledCredit(stored.credit, Number(stored.updated_ms), perMinute, nowMs);
      return { ok: false, retryAfterMs: retryAfterMs(credit, perMinute) };
    },
  };
}
