import type { Server } from "node:http";

export interface Drain {
  /** Requests whose responses have not finished. */
  inFlight(): number;
  /**
   * Stops accepting connections, lets the requests in flight finish for up to `graceMs`, then cuts
   * what is left. Resolves with the number of requests that were cut.
   */
  close(graceMs: number): Promise<number>;
}

/** Counts a server's requests from now on, so that it can be closed gracefully. */
export function trackRequests(server: Server): Drain {
  let active = 0;
  const idle = new Set<() => void>();
  server.on("request", (_req, res) => {
    active++;
    res.once("close", () => {
      active--;
      if (active === 0) for (const done of idle) done();
    });
  });
  return {
    inFlight: () => active,
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (active > 0) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            idle.delete(done);
            resolve();
          };
          const timer = setTimeout(done, graceMs);
          idle.add(done);
        });
      }
      const cut = active;
      server.closeAllConnections();
      await closed;
      return cut;
    },
  };
}
