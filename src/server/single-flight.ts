/**
 * Runs at most one `work` per key at a time in this process: a call while one is in flight gets
 * that call's promise (the same value, or the same error) instead of starting another. The key is
 * forgotten once the work settles, so a later call starts afresh.
 */
export interface SingleFlight<T> {
  run(key: string, work: () => Promise<T>): Promise<T>;
  /** Keys in flight now. */
  readonly size: number;
}

export function createSingleFlight<T>(): SingleFlight<T> {
  const inFlight = new Map<string, Promise<T>>();
  return {
    run(key, work) {
      const running = inFlight.get(key);
      if (running) return running;
      // Started in a microtask, after the key is set: a work that settles at once still frees it.
      const started = Promise.resolve()
        .then(work)
        .finally(() => inFlight.delete(key));
      inFlight.set(key, started);
      return started;
    },
    get size() {
      return inFlight.size;
    },
  };
}
