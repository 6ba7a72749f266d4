/**
 * The least CPU a durable quota reservation can cost in SQLite here, with no upgate code: raw
 * better-sqlite3 on a table holding only what a quota check reads (a random TEXT id, the subject,
 * route, status, time and size) and the one index that check needs, in the state a bench run leaves
 * (`prefill` rows over USERS users). Each reservation sums its subject's window and inserts a row;
 * `perCommit` of them share one BEGIN IMMEDIATE..COMMIT, then the WAL is fdatasync'ed, as the
 * gateway's group commit does. CPU of every thread of this process, per reservation: a lower bound
 * for any SQLite ledger that answers only once the reservation would survive a power cut.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fdatasyncSync, openSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import { ROUTE, USERS } from "./gateway-config.js";

/** About the rows (a) leaves in its ledger: its warm-up and run at 4-5k requests per second. */
const PREFILL = 50_000;
const WINDOW_MS = 86_400_000;

export interface ReservationFloor {
  perCommit: number;
  cpuMicrosPerReservation: number;
}

export async function measureReservationFloor(
  parentDir: string,
  perCommit: number,
  reservations = 16_000,
  prefill = PREFILL,
): Promise<ReservationFloor> {
  const dir = await mkdtemp(join(parentDir, "upgate-bench-floor-"));
  const file = join(dir, "floor.db");
  const db = new Database(file);
  let wal: number | undefined;
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec(`CREATE TABLE uploads (id TEXT PRIMARY KEY, subject TEXT NOT NULL, route TEXT NOT NULL,
      status TEXT NOT NULL, created_at INTEGER NOT NULL, size INTEGER NOT NULL) STRICT;
      CREATE INDEX uploads_quota ON uploads (subject, route, status, created_at, size);`);
    const usage = db.prepare(`SELECT COALESCE(SUM(size), 0) AS bytes, COUNT(*) AS files FROM uploads
      WHERE subject = ? AND route = ? AND status = 'pending' AND created_at > ?`);
    const insert = db.prepare("INSERT INTO uploads VALUES (?, ?, ?, 'pending', ?, ?)");
    const begin = db.prepare("BEGIN IMMEDIATE");
    const commit = db.prepare("COMMIT");
    let next = 0;
    const batch = () => {
      const now = Date.now();
      begin.run();
      for (let i = 0; i < perCommit; i++) {
        const subject = `user-${next++ % USERS}`;
        usage.get(subject, ROUTE, now - WINDOW_MS);
        insert.run(randomBytes(16).toString("base64url"), subject, ROUTE, now, 122_880);
      }
      commit.run();
      wal ??= openSync(`${file}-wal`, "r");
      fdatasyncSync(wal);
    };
    while (next < prefill) batch();
    const cpu = process.cpuUsage();
    const measuredFrom = next;
    while (next - measuredFrom < reservations) batch();
    const used = process.cpuUsage(cpu);
    return { perCommit, cpuMicrosPerReservation: (used.user + used.system) / (next - measuredFrom) };
  } finally {
    if (wal !== undefined) closeSync(wal);
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
