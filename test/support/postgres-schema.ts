import { randomBytes } from "node:crypto";
import pg from "pg";

export interface ScratchSchema {
  readonly schema: string;
  /** DROP SCHEMA ... CASCADE. */
  drop(): Promise<void>;
}

/**
 * A fresh schema on the Postgres test server, named `<prefix>_<random>`; ledgers opened with it as
 * their search_path see only it, so each test has an empty database without CREATE DATABASE.
 */
export async function createScratchSchema(url: string, prefix: string): Promise<ScratchSchema> {
  const schema = `${prefix}_${randomBytes(6).toString("hex")}`;
  await adminQuery(url, `CREATE SCHEMA ${schema}`);
  return { schema, drop: () => adminQuery(url, `DROP SCHEMA ${schema} CASCADE`) };
}

/** One statement on its own short-lived connection. */
export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
