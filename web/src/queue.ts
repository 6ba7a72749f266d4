/** Runs jobs `limit` at a time, in the order given. */
export function createQueue(limit: number): (job: () => Promise<void>) => void {
  const waiting: Array<() => Promise<void>> = [];
  let running = 0;
  const next = () => {
    while (running < limit && waiting.length > 0) {
      const job = waiting.shift()!;
      running++;
      job()
        .catch(() => {})
        .finally(() => {
          running--;
          next();
        });
    }
  };
  return (job) => {
    waiting.push(job);
    next();
  };
}
