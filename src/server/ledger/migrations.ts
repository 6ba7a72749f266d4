/**
 * The ledger's schema, as ordered, versioned steps per dialect. A step is never edited once released:
 * changes are new steps. Each runner records applied steps in `schema_migrations (version, applied_at)`.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

const SQLITE: readonly Migration[] = [
  {
    version: 1,
    description: "uploads and rate buckets",
    sql: `
      CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        route TEXT NOT NULL,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        strategy TEXT NOT NULL CHECK (strategy IN ('put', 'post', 'multipart')),
        declared_size INTEGER NOT NULL,
        declared_type TEXT NOT NULL,
        sha256 TEXT,
        verified_size INTEGER,
        verified_type TEXT,
        status TEXT NOT NULL
          CHECK (status IN ('pending', 'uploaded', 'verified', 'rejected', 'expired', 'aborted')),
        reason TEXT,
        multipart_upload_id TEXT,
        part_size INTEGER,
        part_count INTEGER,
        client_ip TEXT,
        user_agent TEXT,
        metadata TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        completed_at INTEGER
      ) STRICT;
      CREATE INDEX uploads_user_route_created ON uploads (user_id, route, created_at);
      CREATE INDEX uploads_status_expires ON uploads (status, expires_at);
      CREATE INDEX uploads_bucket_key ON uploads (bucket, key);
      -- credit is tokens × 60000 (see token-bucket.ts).
      CREATE TABLE rate_buckets (
        bucket_key TEXT PRIMARY KEY,
        credit REAL NOT NULL,
        updated_ms INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: "covering index for quota usage",
    // usage() sums a user's holding rows in a window: with every column it reads in the index, the
    // sum never visits the table. The first index stays for list(), which orders by created_at.
    sql: `
      CREATE INDEX uploads_quota ON uploads
        (user_id, route, status, created_at, declared_size, verified_size);
    `,
  },
  {
    version: 3,
    description: "idempotency keys of create requests",
    // One row per (user, key, file): a second reservation with the key cannot insert (see reserve()).
    sql: `
      ALTER TABLE uploads ADD COLUMN idempotency_key TEXT;
      ALTER TABLE uploads ADD COLUMN request_hash TEXT;
      ALTER TABLE uploads ADD COLUMN file_index INTEGER;
      CREATE UNIQUE INDEX uploads_idempotency ON uploads (user_id, idempotency_key, file_index)
        WHERE idempotency_key IS NOT NULL;
    `,
  },
  {
    version: 4,
    description: "the ETag verification saw",
    // A download is refused when the object's ETag is no longer this one (see get-file.ts).
    sql: "ALTER TABLE uploads ADD COLUMN verified_etag TEXT;",
  },
  {
    version: 5,
    description: "verification leases",
    // The instance verifying an "uploaded" row holds the lease until verify_lease_until (ms), renewing
    // it while it reads; others wait instead of verifying again (see upload/verification-lease.ts).
    sql: `
      ALTER TABLE uploads ADD COLUMN verify_lease_id TEXT;
      ALTER TABLE uploads ADD COLUMN verify_lease_until INTEGER;
    `,
  },
  {
    version: 6,
    description: "quota subjects and hashed anonymous capabilities",
    // Quota, rate limit and Idempotency-Keys count per quota subject (the user id, or
    // "anonymous@<address>"): existing rows keep counting against their user. The quota and
    // idempotency indexes move to the subject; uploads_route_quota serves a route-wide cap.
    sql: `
      ALTER TABLE uploads ADD COLUMN quota_subject TEXT NOT NULL DEFAULT '';
      UPDATE uploads SET quota_subject = user_id;
      ALTER TABLE uploads ADD COLUMN capability_hash TEXT;
      ALTER TABLE uploads ADD COLUMN download_token_hash TEXT;
      DROP INDEX uploads_quota;
      CREATE INDEX uploads_quota ON uploads
        (quota_subject, route, status, created_at, declared_size, verified_size);
      DROP INDEX uploads_idempotency;
      CREATE UNIQUE INDEX uploads_idempotency ON uploads (quota_subject, idempotency_key, file_index)
        WHERE idempotency_key IS NOT NULL;
      CREATE INDEX uploads_route_quota ON uploads
        (route, status, created_at, declared_size, verified_size);
    `,
  },
  {
    version: 7,
    description: "each upload's checksum algorithm and whole-file value",
    sql: `
      ALTER TABLE uploads ADD COLUMN checksum_algorithm TEXT NOT NULL DEFAULT 'sha256'
        CHECK (checksum_algorithm IN ('sha256', 'crc64nvme', 'crc32c'));
      ALTER TABLE uploads ADD COLUMN checksum TEXT;
      UPDATE uploads SET checksum = sha256;
    `,
  },
];

const POSTGRES: readonly Migration[] = [
  {
    version: 1,
    description: "uploads and rate buckets",
    sql: `
      CREATE TABLE uploads (
        -- Byte order, as in SQLite, so list() pages ties on created_at the same way on both.
        id TEXT COLLATE "C" PRIMARY KEY,
        user_id TEXT NOT NULL,
        route TEXT NOT NULL,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        strategy TEXT NOT NULL CHECK (strategy IN ('put', 'post', 'multipart')),
        declared_size BIGINT NOT NULL,
        declared_type TEXT NOT NULL,
        sha256 TEXT,
        verified_size BIGINT,
        verified_type TEXT,
        status TEXT NOT NULL
          CHECK (status IN ('pending', 'uploaded', 'verified', 'rejected', 'expired', 'aborted')),
        reason TEXT,
        multipart_upload_id TEXT,
        part_size BIGINT,
        part_count INTEGER,
        client_ip TEXT,
        user_agent TEXT,
        metadata JSONB NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        completed_at TIMESTAMPTZ
      );
      CREATE INDEX uploads_user_route_created ON uploads (user_id, route, created_at);
      CREATE INDEX uploads_status_expires ON uploads (status, expires_at);
      CREATE INDEX uploads_bucket_key ON uploads (bucket, key);
      -- credit is tokens × 60000 (see token-bucket.ts).
      CREATE TABLE rate_buckets (
        bucket_key TEXT PRIMARY KEY,
        credit DOUBLE PRECISION NOT NULL,
        updated_ms BIGINT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: "covering index for quota usage",
    sql: `
      CREATE INDEX uploads_quota ON uploads (user_id, route, status, created_at)
        INCLUDE (declared_size, verified_size);
    `,
  },
  {
    version: 3,
    description: "idempotency keys of create requests",
    sql: `
      ALTER TABLE uploads
        ADD COLUMN idempotency_key TEXT,
        ADD COLUMN request_hash TEXT,
        ADD COLUMN file_index INTEGER;
      CREATE UNIQUE INDEX uploads_idempotency ON uploads (user_id, idempotency_key, file_index)
        WHERE idempotency_key IS NOT NULL;
    `,
  },
  {
    version: 4,
    description: "the ETag verification saw",
    sql: "ALTER TABLE uploads ADD COLUMN verified_etag TEXT;",
  },
  {
    version: 5,
    description: "verification leases",
    sql: `
      ALTER TABLE uploads
        ADD COLUMN verify_lease_id TEXT,
        ADD COLUMN verify_lease_until TIMESTAMPTZ;
    `,
  },
  {
    version: 6,
    description: "quota subjects and hashed anonymous capabilities",
    sql: `
      ALTER TABLE uploads
        ADD COLUMN quota_subject TEXT,
        ADD COLUMN capability_hash TEXT,
        ADD COLUMN download_token_hash TEXT;
      UPDATE uploads SET quota_subject = user_id;
      ALTER TABLE uploads ALTER COLUMN quota_subject SET NOT NULL;
      DROP INDEX uploads_quota;
      CREATE INDEX uploads_quota ON uploads (quota_subject, route, status, created_at)
        INCLUDE (declared_size, verified_size);
      DROP INDEX uploads_idempotency;
      CREATE UNIQUE INDEX uploads_idempotency ON uploads (quota_subject, idempotency_key, file_index)
        WHERE idempotency_key IS NOT NULL;
      CREATE INDEX uploads_route_quota ON uploads (route, status, created_at)
        INCLUDE (declared_size, verified_size);
    `,
  },
  {
    version: 7,
    description: "each upload's checksum algorithm and whole-file value",
    sql: `
      ALTER TABLE uploads
        ADD COLUMN checksum_algorithm TEXT NOT NULL DEFAULT 'sha256'
          CHECK (checksum_algorithm IN ('sha256', 'crc64nvme', 'crc32c')),
        ADD COLUMN checksum TEXT;
      UPDATE uploads SET checksum = sha256;
    `,
  },
];

export const MIGRATIONS = { sqlite: SQLITE, postgres: POSTGRES } as const;

/**
 * Both dialects must always have the same versions, so `latest` means the same schema on either.
 * Versions ascend.
 */
export const LATEST_VERSION = SQLITE.at(-1)?.version ?? 0;

/** Versions that must still run, in order; refuses a database migrated by a newer upgate. */
export function pendingMigrations(all: readonly Migration[], applied: readonly number[]): Migration[] {
  const latest = all.at(-1)?.version ?? 0;
  const newest = Math.max(0, ...applied);
  if (newest > latest) {
    throw new Error(
      `The ledger database has schema version ${newest}, newer than this upgate knows (${latest}): upgrade upgate.`,
    );
  }
  const done = new Set(applied);
  return all.filter((step) => !done.has(step.version));
}
