import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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

/**
 * A sync that counts its calls and finishes on the next turn (or when released, when `hold` is set):
 * with group commit each batch is followed by one sync, so calls count commits.
 */
function countingSync(hold = false) {
  let calls = 0;
  const pending: Array<(error?: Error | null) => void> = [];
  const sync = (done: (error?: Error | null) => void) => {
    calls++;
    if (hold) pending.push(done);
    else setImmediate(done);
  };
  return {
    sync,
    calls: () => calls,
    /** Finishes the sync in flight, with `error` when given. */
    release: (error?: Error) => pending.shift()?.(error),
  };
}

/** Whether `promise` has settled by the end of this turn's microtasks and the next immediate. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe("createGroupCommit", () => {
  it("runs the works of one tick in one transaction, in order, each seeing the earlier ones", async () => {
    const { sync, calls: commits } = countingSync();
    const group = createGroupCommit(db, { sync });
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
    const { sync, calls: commits } = countingSync();
    const group = createGroupCommit(db, { sync });
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

  it("with no sync, settles callers when COMMIT returns (synchronous=FULL)", async () => {
    const group = createGroupCommit(db);
    await expect(Promise.all([group.run(insert("a")), group.run(insert("b"))])).resolves.toEqual([1, 1]);
    expect(names()).toEqual(["a", "b"]);
    await expect(group.durable("x")).resolves.toBe("x");
  });

  it("settles a caller only once a sync that began after its COMMIT has finished", async () => {
    const sync = countingSync(true);
    const group = createGroupCommit(db, { sync: sync.sync });
    const first = group.run(insert("a"));
    expect(await isSettled(first)).toBe(false);
    // Committed (another connection sees it) but not yet reported done.
    expect(names()).toEqual(["a"]);
    expect(sync.calls()).toBe(1);
    sync.release();
    await expect(first).resolves.toBe(1);
  });

  it("commits the works queued during a sync together when it ends, and syncs them again", async () => {
    const sync = countingSync(true);
    const group = createGroupCommit(db, { sync: sync.sync });
    const first = group.run(insert("a"));
    await isSettled(first);
    // Three later turns: none commits while the sync runs, so they form one batch.
    const later: Array<Promise<number>> = [];
    for (const name of ["b", "c", "d"]) {
      later.push(group.run(insert(name)));
      expect(await isSettled(later.at(-1)!)).toBe(false);
    }
    expect(names()).toEqual(["a"]);
    sync.release();
    await first;
    expect(names()).toEqual(["a", "b", "c", "d"]);
    expect(sync.calls()).toBe(2);
    expect(await isSettled(Promise.all(later))).toBe(false);
    sync.release();
    await expect(Promise.all(later)).resolves.toEqual([1, 1, 1]);
  });

  it("a write made during a sync and the works queued meanwhile share the next sync", async () => {
    const sync = countingSync(true);
    const group = createGroupCommit(db, { sync: sync.sync });
    const first = group.run(insert("a"));
    await isSettled(first);
    insert("b")();
    const written = group.durable("b");
    const queued = group.run(insert("c"));
    await isSettled(queued);
    sync.release();
    await first;
    expect(names()).toEqual(["a", "b", "c"]);
    expect(sync.calls()).toBe(2);
    sync.release();
    await expect(Promise.all([written, queued])).resolves.toEqual(["b", 1]);
    expect(sync.calls()).toBe(2);
  });

  it("durable() waits for a sync covering the write before it; settled() only for earlier commits", async () => {
    const sync = countingSync(true);
    const group = createGroupCommit(db, { sync: sync.sync });
    expect(await isSettled(group.settled("nothing pending"))).toBe(true);
    insert("a")();
    const written = group.durable("written");
    const read = group.settled("read");
    expect(await isSettled(written)).toBe(false);
    expect(await isSettled(read)).toBe(false);
    sync.release();
    await expect(written).resolves.toBe("written");
    await expect(read).resolves.toBe("read");
  });

  it("a failed sync rejects its callers and every later one (a retried fsync can lie)", async () => {
    const sync = countingSync(true);
    const group = createGroupCommit(db, { sync: sync.sync });
    const first = group.run(insert("a"));
    await isSettled(first);
    const queued = group.run(insert("b"));
    sync.release(new Error("EIO: i/o error, fdatasync"));
    await expect(first).rejects.toThrow(/EIO/);
    await expect(queued).rejects.toThrow(/EIO/);
    await expect(group.run(insert("c"))).rejects.toThrow(/EIO/);
    await expect(group.durable(1)).rejects.toThrow(/EIO/);
    // Nothing after the failure was even written.
    expect(names()).toEqual(["a"]);
    expect(sync.calls()).toBe(1);
  });

  it("an atomic work runs without a savepoint; its failing statement undoes itself alone", async () => {
    const group = createGroupCommit(db);
    const results = await Promise.allSettled([
      group.run(insert("a"), { atomic: true }),
      group.run(insert("a"), { atomic: true }),
      group.run(insert("b"), { atomic: true }),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(names()).toEqual(["a", "b"]);
  });
});
