import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createGroupCommit, MAX_BATCH } from "./group-commit.js";

let dir = "";
let db: Database.Database;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "upgate-group-commit-"));
  db = new Database(join(dir, "test.db"));
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE items (name TEXT PRIMARY KEY)");
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const insert = (name: string) => () => db.prepare("INSERT INTO items (name) VALUES (?)").run(name).changes;
const names = () => db.prepare("SELECT name FROM items ORDER BY name").pluck().all();

/** Counts the IMMEDIATE transactions begun through db.transaction(): each is one commit. */
function countTransactions(): () => number {
  let begun = 0;
  const original = db.transaction.bind(db);
  vi.spyOn(db, "transaction").mockImplementation(((fn: (...args: never[]) => unknown) => {
    const tx = original(fn);
    return Object.assign((...args: never[]) => tx(...args), {
      ...tx,
      immediate: (...args: never[]) => {
        begun++;
        return tx.immediate(...args);
      },
    });
  }) as typeof db.transaction);
  return () => begun;
}

describe("createGroupCommit", () => {
  it("runs the works of one tick in one transaction, in order, each seeing the earlier ones", async () => {
    const commits = countTransactions();
    const group = createGroupCommit(db);
    const count = () => db.prepare("SELECT COUNT(*) FROM items").pluck().get() as number;
    const seen = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        group.run(() => {
          const before = count();
          insert(`item-${String(i).padStart(3, "0")}`)();
          return before;
        }),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(names()).toHaveLength(200);
    expect(commits()).toBe(1);
    // The next tick is the next batch.
    await group.run(insert("later"));
    expect(commits()).toBe(2);
  });

  it(`splits a tick's works into transactions of at most ${MAX_BATCH}, keeping their order`, async () => {
    const commits = countTransactions();
    const group = createGroupCommit(db);
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: MAX_BATCH + 10 }, (_, i) =>
        group.run(() => {
          order.push(i);
          insert(`item-${String(i).padStart(3, "0")}`)();
        }),
      ),
    );
    expect(commits()).toBe(2);
    expect(order).toEqual(Array.from({ length: MAX_BATCH + 10 }, (_, i) => i));
    expect(names()).toHaveLength(MAX_BATCH + 10);
  });

  it("settles a caller only after its batch committed", async () => {
    const group = createGroupCommit(db);
    const other = new Database(join(dir, "test.db"));
    try {
      const visible = await group
        .run(() => insert("a")())
        .then(() => other.prepare("SELECT COUNT(*) FROM items").pluck().get() as number);
      expect(visible).toBe(1);
    } finally {
      other.close();
    }
  });

  it("undoes only the failing work: its caller rejects with its error, the others commit", async () => {
    const group = createGroupCommit(db);
    const results = await Promise.allSettled([
      group.run(insert("a")),
      group.run(() => {
        insert("b")();
        insert("a")(); // duplicate: this work fails after writing "b"
      }),
      group.run(insert("c")),
      group.run(() => {
        throw new Error("refused by the work itself");
      }),
      group.run(insert("d")),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(String((results[3] as PromiseRejectedResult).reason)).toMatch(/refused by the work/);
    expect(names()).toEqual(["a", "c", "d"]);
  });

  it("fails the whole batch, storing nothing, when SQLite rolled the transaction back", async () => {
    const group = createGroupCommit(db);
    const results = await Promise.allSettled([
      group.run(insert("a")),
      group.run(() => {
        // What SQLite does itself on SQLITE_FULL or SQLITE_IOERR: the whole transaction is gone.
        db.exec("ROLLBACK");
        throw new Error("disk full");
      }),
      group.run(insert("c")),
    ]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    for (const result of results) {
      expect(String((result as PromiseRejectedResult).reason)).toMatch(/disk full/);
    }
    expect(names()).toEqual([]);
    expect(db.inTransaction).toBe(false);
  });

  it("rejects every caller, storing nothing, when the write lock cannot be taken", async () => {
    const holder = new Database(join(dir, "test.db"));
    db.pragma("busy_timeout = 0");
    holder.exec("BEGIN IMMEDIATE");
    try {
      const group = createGroupCommit(db);
      const results = await Promise.allSettled([group.run(insert("a")), group.run(insert("b"))]);
      for (const result of results) {
        expect(String((result as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
      }
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect(names()).toEqual([]);
  });

  it("flush() commits everything queued at once, however many batches that takes", async () => {
    const group = createGroupCommit(db);
    const pending = Array.from({ length: MAX_BATCH + 1 }, (_, i) => group.run(insert(`item-${i}`)));
    group.flush();
    expect(names()).toHaveLength(MAX_BATCH + 1);
    await expect(Promise.all(pending)).resolves.toHaveLength(MAX_BATCH + 1);
  });
});
