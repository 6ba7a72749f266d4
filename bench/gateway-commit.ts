/**
 * What one durable SQLite commit costs in a directory: the floor under any ledger write. The
 * gateway's ledger runs WAL with synchronous=NORMAL and syncs the WAL itself after each group commit
 * (fdatasync, off the event loop: src/server/ledger/wal-sync.ts); synchronous=FULL (SQLite syncing
 * inside COMMIT, on the event loop) and NORMAL without a sync are shown for comparison.
 */
import { closeSync, fdatasyncSync, openSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";

export type CommitMode = "FULL" | "NORMAL" | "NORMAL + fdatasync";

export interface CommitCost {
  mode: CommitMode;
  /** Wall time per commit. */
  microsPerCommit: number;
  /** This process's CPU time (user + system, every thread) per commit. */
  cpuMicrosPerCommit: number;
}

export async function measureCommits(parentDir: string, commits = 400): Promise<CommitCost[]> {
  const dir = await mkdtemp(join(parentDir, "upgate-bench-commit-"));
  try {
    const costs: CommitCost[] = [];
    for (const mode of ["FULL", "NORMAL", "NORMAL + fdatasync"] as const) {
      const file = join(dir, `${mode.replace(/\W+/g, "-")}.db`);
      const db = new Database(file);
      db.pragma("journal_mode = WAL");
      db.pragma(`synchronous = ${mode === "FULL" ? "FULL" : "NORMAL"}`);
      db.exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, value TEXT NOT NULL)");
      const insert = db.prepare("INSERT INTO rows (value) VALUES (?)");
      const commit = db.transaction((value: string) => insert.run(value));
      const wal = mode === "NORMAL + fdatasync" ? openSync(`${file}-wal`, "r") : undefined;
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < commits; i++) {
        commit.immediate("x".repeat(300));
        if (wal !== undefined) fdatasyncSync(wal);
      }
      const used = process.cpuUsage(cpu);
      costs.push({
        mode,
        microsPerCommit: ((performance.now() - started) * 1000) / commits,
        cpuMicrosPerCommit: (used.user + used.system) / commits,
      });
      if (wal !== undefined) closeSync(wal);
      db.close();
    }
    return costs;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
