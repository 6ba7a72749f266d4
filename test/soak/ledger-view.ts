import pg from "pg";
import { HOLDING_STATUS_SQL } from "../../src/server/ledger/quota.js";
import type { SoakQuota } from "./route.js";

export interface Usage {
  bytes: number;
  files: number;
}

export interface QuotaOverrun {
  userId: string;
  bytes: number;
  files: number;
  at: string;
}

/** Read-only queries on the run's ledger schema, straight from Postgres (not through a gateway). */
export class LedgerView {
  private readonly pool: pg.Pool;

  constructor(url: string, schema: string) {
    this.pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 4 });
  }

  /** What the user holds on the route, counted exactly as the gateway's quota counts it. */
  async held(userId: string, route: string): Promise<Usage> {
    const { rows } = await this.pool.query<{ bytes: string; files: string }>(
      `SELECT COALESCE(SUM(COALESCE(verified_size, declared_size)), 0) AS bytes, COUNT(*) AS files
       FROM uploads WHERE user_id = $1 AND route = $2 AND status IN (${HOLDING_STATUS_SQL})`,
      [userId, route],
    );
    return { bytes: Number(rows[0]!.bytes), files: Number(rows[0]!.files) };
  }

  /** Users whose holding exceeds the quota right now (one consistent snapshot). */
  async overruns(route: string, quota: SoakQuota): Promise<QuotaOverrun[]> {
    const { rows } = await this.pool.query<{ user_id: string; bytes: string; files: string }>(
      `SELECT user_id, SUM(COALESCE(verified_size, declared_size)) AS bytes, COUNT(*) AS files
       FROM uploads WHERE route = $1 AND status IN (${HOLDING_STATUS_SQL})
       GROUP BY user_id HAVING SUM(COALESCE(verified_size, declared_size)) > $2 OR COUNT(*) > $3`,
      [route, quota.bytes, quota.files],
    );
    const at = new Date().toISOString();
    return rows.map((row) => ({
      userId: row.user_id,
      bytes: Number(row.bytes),
      files: Number(row.files),
      at,
    }));
  }

  async statuses(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.pool.query<{ id: string; status: string }>(
      "SELECT id, status FROM uploads WHERE id = ANY($1)",
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.status]));
  }

  async rows(
    route: string,
  ): Promise<
    Array<{ id: string; userId: string; key: string; status: string; size: number; sha256: string | null }>
  > {
    const { rows } = await this.pool.query<{
      id: string;
      user_id: string;
      key: string;
      status: string;
      size: string;
      sha256: string | null;
    }>(
      "SELECT id, user_id, key, status, COALESCE(verified_size, declared_size) AS size, sha256 FROM uploads WHERE route = $1",
      [route],
    );
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      key: row.key,
      status: row.status,
      size: Number(row.size),
      sha256: row.sha256,
    }));
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** Samples every `intervalMs` for users over quota, until stopped. */
export function watchQuota(view: LedgerView, route: string, quota: SoakQuota, intervalMs: number) {
  const overruns: QuotaOverrun[] = [];
  let samples = 0;
  let errors = 0;
  let running: Promise<void> = Promise.resolve();
  const sample = async () => {
    try {
      overruns.push(...(await view.overruns(route, quota)));
      samples++;
    } catch {
      errors++;
    }
  };
  const timer = setInterval(() => {
    running = running.then(sample);
  }, intervalMs);
  return {
    overruns,
    get samples() {
      return samples;
    },
    get errors() {
      return errors;
    },
    async stop() {
      clearInterval(timer);
      await running;
      await sample();
    },
  };
}
