import type Database from "better-sqlite3";

interface Queued {
  work: () => unknown;
  /** The work writes with at most one statement, its last step: that statement is its own undo. */
  atomic: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Works per transaction: bounds how long one batch holds the write lock (and the event loop). */
export const MAX_BATCH = 256;

/** Makes every commit so far durable (the WAL's fdatasync); `done` gets the error if it could not. */
export type SyncCommits = (done: (error?: Error | null) => void) => void;

export interface GroupCommitOptions {
  /**
   * How commits become durable when the connection does not sync them itself (WAL with
   * synchronous=NORMAL): at most one call at a time, off the event loop. Without it every COMMIT is
   * taken to be durable when it returns (synchronous=FULL, or a database that is not a file).
   */
  sync?: SyncCommits;
}

export interface GroupCommit {
  /**
   * Runs `work` (synchronous SQL on the connection) in the next batch; settles once the batch's
   * COMMIT is durable, so nothing is reported done before it would survive a power cut.
   * `atomic`: the work writes with at most one statement, as its last step, so it needs no
   * savepoint of its own (a failing statement undoes itself).
   */
  run<T>(work: () => T, options?: { atomic?: boolean }): Promise<T>;
  /** After a write committed outside the batches (an autocommit statement): `value` once it is durable. */
  durable<T>(value: T): Promise<T>;
  /** `value` once every commit made so far is durable: what a read that may have seen them answers with. */
  settled<T>(value: T): Promise<T>;
  /** Commits everything queued now (before closing the connection); its callers still wait for the sync. */
  flush(): void;
}

/**
 * Group commit for one better-sqlite3 connection: the writes asked for during one turn of the event
 * loop run one after another inside ONE `BEGIN IMMEDIATE` transaction, so the batch pays for one
 * commit and one sync instead of one per write.
 *
 * - Order: works run in the order they were queued; each sees what the earlier ones wrote (a quota
 *   check counts the rows reserved just before it in the same batch).
 * - Isolation: each work runs in its own SAVEPOINT (an atomic one needs none). One that throws has
 *   only its own writes undone and only its caller rejects, with its error; the rest of the batch
 *   goes on and commits.
 * - All or nothing for the batch itself: when BEGIN or COMMIT fails, or SQLite rolled the whole
 *   transaction back under a failing statement, nothing of the batch is stored and every caller
 *   rejects with that error.
 * - Durability, with `sync`: the event loop never waits for the disk. One sync runs at a time;
 *   works queued meanwhile commit together when it ends, and a caller settles only after a sync
 *   that began after its batch's COMMIT has finished. A failed sync fails every caller waiting for
 *   it, and every later one: after a failed fsync the kernel may have dropped the pages, and a retry
 *   can report success for data that is gone (the ledger refuses writes until the process restarts).
 */
export function createGroupCommit(db: Database.Database, options: GroupCommitOptions = {}): GroupCommit {
  const { sync } = options;
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = db.prepare("ROLLBACK");
  const savepoint = db.prepare("SAVEPOINT upgate_work");
  const release = db.prepare("RELEASE upgate_work");
  const undo = db.prepare("ROLLBACK TO upgate_work");

  let queue: Queued[] = [];
  /** A commit of the queue is arranged: a setImmediate, or the end of the sync in flight. */
  let arranged = false;
  /** Commits made, and how many of them a finished sync covers. */
  let committed = 0;
  let synced = 0;
  let syncing = false;
  let failure: { error: unknown } | undefined;
  let waiters: Array<{ upTo: number; done(error?: unknown): void }> = [];

  const runOne = (item: Queued): Outcome => {
    if (item.atomic) {
      try {
        return { ok: true, value: item.work() };
      } catch (error) {
        // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) make SQLite roll back the whole transaction:
        // the earlier works' writes are gone too, so the batch fails as a whole.
        if (!db.inTransaction) throw error;
        return { ok: false, error };
      }
    }
    savepoint.run();
    let value: unknown;
    try {
      value = item.work();
    } catch (error) {
      if (!db.inTransaction) throw error;
      undo.run();
      release.run();
      return { ok: false, error };
    }
    release.run();
    return { ok: true, value };
  };

  const runBatch = (items: readonly Queued[]): Outcome[] => {
    begin.run();
    try {
      const outcomes = items.map(runOne);
      commit.run();
      return outcomes;
    } catch (error) {
      if (db.inTransaction) rollback.run();
      throw error;
    }
  };

  /** Calls `done` once commits up to `upTo` are durable (at once without `sync`). */
  const afterSync = (upTo: number, done: (error?: unknown) => void): void => {
    if (failure || !sync || synced >= upTo) {
      done(failure?.error);
      return;
    }
    waiters.push({ upTo, done });
    startSync();
  };

  const startSync = (): void => {
    if (syncing || !sync) return;
    syncing = true;
    const upTo = committed;
    sync((error) => {
      syncing = false;
      if (error) failure ??= { error };
      else synced = upTo;
      const ready = failure ? waiters : waiters.filter((w) => w.upTo <= synced);
      waiters = failure ? [] : waiters.filter((w) => w.upTo > synced);
      for (const waiter of ready) waiter.done(failure?.error);
      // Works queued during the sync commit now, together; the next sync covers them and every
      // write still waiting.
      if (arranged) onTurn();
      if (waiters.length > 0) startSync();
    });
  };

  /** Commits the next batch (up to MAX_BATCH works, in order); its callers settle after the sync. */
  const commitNext = (): void => {
    const items = queue.length > MAX_BATCH ? queue.splice(0, MAX_BATCH) : queue;
    if (items === queue) queue = [];
    if (items.length === 0) return;
    let outcomes: Outcome[];
    try {
      if (failure) throw failure.error;
      outcomes = runBatch(items);
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    afterSync(++committed, (error) => {
      for (const [index, outcome] of outcomes.entries()) {
        const item = items[index]!;
        if (error !== undefined) item.reject(error);
        else if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.error);
      }
    });
  };

  const onTurn = (): void => {
    // While a sync runs, the queue waits for it and grows: its end commits it in one batch.
    if (syncing) return;
    arranged = false;
    commitNext();
    // What is left over goes in the next turn's batch, in order.
    if (queue.length > 0) {
      arranged = true;
      setImmediate(onTurn);
    }
  };

  const settledAt = <T>(upTo: number, value: T): Promise<T> =>
    new Promise<T>((resolve, reject) =>
      afterSync(upTo, (error) => (error === undefined ? resolve(value) : reject(error))),
    );

  return {
    run<T>(work: () => T, { atomic = false } = {}): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, atomic, resolve: resolve as (value: unknown) => void, reject });
        if (!arranged) {
          arranged = true;
          setImmediate(onTurn);
        }
      });
    },
    durable(value) {
      return settledAt(++committed, value);
    },
    settled(value) {
      return settledAt(committed, value);
    },
    flush() {
      while (queue.length > 0) commitNext();
    },
  };
}
