/**
 * Maps with at most `limit` calls in flight (to stay under the open file limit); keeps the order.
 * After a call fails no new one starts, and the first error is thrown once those in flight settle,
 * so a caller's cleanup never races its own calls.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = workers.find((outcome) => outcome.status === "rejected");
  if (failure) throw failure.reason;
  return results;
}
