import type Database from "better-sqlite3";

interface Queued {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Works per transaction: bounds how long one batch holds the write lock (and the event loop). */
export const MAX_BATCH = 256;

export interface GroupCommit {
  /**
   * Runs `work` (synchronous SQL on the connection) in the next batch; settles once the batch's
   * COMMIT has returned, so nothing is reported done before it is durable.
   */
  run<T>(work: () => T): Promise<T>;
  /** Commits everything queued now (before closing the connection). */
  flush(): void;
}

/**
 * Group commit for one better-sqlite3 connection: the writes asked for during one turn of the event
 * loop run one after another inside ONE `BEGIN IMMEDIATE` transaction, so the batch pays for one
 * commit (one fsync with synchronous=FULL) instead of one per write.
 *
 * - Order: works run in the order they were queued; each sees what the earlier ones wrote (a quota
 *   check counts the rows reserved just before it in the same batch).
 * - Isolation: each work runs in its own SAVEPOINT. One that throws has only its own writes undone
 *   and only its caller rejects, with its error; the rest of the batch goes on and commits.
 * - All or nothing for the batch itself: when BEGIN or COMMIT fails, or SQLite rolled the whole
 *   transaction back under a failing statement, nothing of the batch is stored and every caller
 *   rejects with that error.
 */
export function createGroupCommit(db: Database.Database): GroupCommit {
  let queue: Queued[] = [];
  let scheduled = false;

  // Called inside `batch`, better-sqlite3 runs this as SAVEPOINT ... RELEASE (ROLLBACK TO on a throw).
  const one = db.transaction((work: () => unknown) => work());
  const batch = db.transaction((items: readonly Queued[]): Outcome[] => {
    const outcomes: Outcome[] = [];
    for (const item of items) {
      try {
        outcomes.push({ ok: true, value: one(item.work) });
      } catch (error) {
        // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) make SQLite roll back the whole transaction:
        // the earlier works' writes are gone too, so the batch fails as a whole.
        if (!db.inTransaction) throw error;
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  });

  /** Commits the next batch (up to MAX_BATCH works, in order) and settles its callers. */
  const commitNext = (): void => {
    const items = queue.length > MAX_BATCH ? queue.splice(0, MAX_BATCH) : queue;
    if (items === queue) queue = [];
    if (items.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = batch.immediate(items);
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    for (const [index, outcome] of outcomes.entries()) {
      const item = items[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    }
  };

  const onImmediate = (): void => {
    commitNext();
    // What is left over goes in the next turn's batch, in order.
    scheduled = queue.length > 0;
    if (scheduled) setImmediate(onImmediate);
  };

  return {
    run<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(onImmediate);
        }
      });
    },
    flush() {
      while (queue.length > 0) commitNext();
    },
  };
}
