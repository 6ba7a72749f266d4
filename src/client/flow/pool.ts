export interface PoolOptions {
  /**
   * On the first failure, stop starting items but let those in flight finish before rejecting
   * (their work is kept, e.g. parts for a later resume). Default: reject at once.
   */
  settle?: boolean;
  /** Called at once on the first failure (e.g. to cut the others short when nothing can be kept). */
  onFailure?: (error: unknown) => void;
}

/** Runs `work` over `items` with at most `limit` in flight; rejects with the first failure. */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  options: PoolOptions = {},
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        if (!failure) {
          failure = { error };
          options.onFailure?.(error);
        }
        if (!options.settle) throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  if (failure) throw failure.error;
}
