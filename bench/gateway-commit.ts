/**
 * What one SQLite commit costs in a directory: the floor under any ledger write. The gateway's
 * ledger runs WAL with synchronous=FULL (an fsync per commit); NORMAL is shown for comparison.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";

export interface CommitCost {
  synchronous: "FULL" | "NORMAL";
  microsPerCommit: number;
}

export async function measureCommits(parentDir: string, commits = 400): Promise<CommitCost[]> {
  const dir = await mkdtemp(join(parentDir, "upgate-bench-commit-"));
  try {
    const costs: CommitCost[] = [];
    for (const synchronous of ["FULL", "NORMAL"] as const) {
      const db = new Database(join(dir, `${synchronous}.db`));
      db.pragma("journal_mode = WAL");
      db.pragma(`synchronous = ${synchronous}`);
      db.exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, value TEXT NOT NULL)");
      const insert = db.prepare("INSERT INTO rows (value) VALUES (?)");
      const commit = db.transaction((value: string) => insert.run(value));
      const started = performance.now();
      for (let i = 0; i < commits; i++) commit.immediate("x".repeat(300));
      costs.push({ synchronous, microsPerCommit: ((performance.now() - started) * 1000) / commits });
      db.close();
    }
    return costs;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
