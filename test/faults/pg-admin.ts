/**
 * An admin connection to the Postgres test server for the connection-kill tests: holds the locks
 * that keep a gateway transaction open, finds the gateway's backend waiting on them, and terminates it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

export class PgAdmin {
  private constructor(readonly client: pg.Client) {}

  /** Connects with `schema` first on the search path (the same tables the gateway uses). */
  static async connect(url: string, schema?: string): Promise<PgAdmin> {
    const client = new pg.Client({
      connectionString: url,
      ...(schema && { options: `-c search_path=${schema}` }),
    });
    await client.connect();
    return new PgAdmin(client);
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]) {
    return this.client.query<R>(sql, values);
  }

  /**
   * The pid of the backend of `applicationName` that waits on a lock (the gateway's connection,
   * stuck inside its transaction or statement); waits up to 10 s for it to get there.
   */
  async waitingBackend(applicationName: string): Promise<{ pid: number; query: string }> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const { rows } = await this.query<{ pid: number; query: string }>(
        `SELECT pid, query FROM pg_stat_activity
         WHERE application_name = $1 AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        [applicationName],
      );
      if (rows[0]) return rows[0];
      await sleep(10);
    }
    throw new Error(`no backend of ${applicationName} waited on a lock within 10 s`);
  }

  async terminate(pid: number): Promise<void> {
    const { rows } = await this.query<{ done: boolean }>("SELECT pg_terminate_backend($1) AS done", [pid]);
    if (!rows[0]?.done) throw new Error(`pg_terminate_backend(${pid}) did not terminate it`);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
