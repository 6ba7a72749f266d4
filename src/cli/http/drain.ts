import type { Server, ServerResponse } from "node:http";

export interface DrainOptions {
  /**
   * Keep listening until this settles (or the grace period ends): the dev stack's store serves the
   * gateway's requests in flight, which may need a new connection to it.
   */
  listenUntil?: Promise<unknown>;
}

export interface Drain {
  /** Requests whose responses have not finished. */
  inFlight(): number;
  /**
   * Stops accepting connections and closes the idle ones at once. The requests in flight may finish
   * for up to `graceMs`: each is answered with `Connection: close` if its headers are not out yet, and
   * its connection is closed as soon as it is done (a kept-alive connection is not left waiting for
   * the client's next request). Then whatever is left is cut. Resolves, once the server is closed,
   * with the number of requests cut.
   */
  close(graceMs: number, options?: DrainOptions): Promise<number>;
}

/** Resolves when `promise` settles or at `deadline` (epoch ms), whichever is first. */
function until(promise: Promise<unknown>, deadline: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    promise.then(done, done);
  });
}

/** Tracks a server's requests from now on (call it before the server listens), so it can be closed gracefully. */
export function trackRequests(server: Server): Drain {
  const active = new Set<ServerResponse>();
  let draining = false;
  // First among the listeners: a handler may write its headers before a later listener runs.
  server.prependListener("request", (_req, res: ServerResponse) => {
    active.add(res);
    if (draining) res.shouldKeepAlive = false;
    res.once("close", () => {
      active.delete(res);
      // The connection is idle once the response is out; close it now rather than at keepAliveTimeout.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });
  return {
    inFlight: () => active.size,
    async close(graceMs, options = {}) {
      const deadline = Date.now() + graceMs;
      draining = true;
      for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
      server.closeIdleConnections();
      if (options.listenUntil) await until(options.listenUntil, deadline);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Closed once every connection is: a request whose headers were still arriving counts too.
      await until(closed, deadline);
      const cut = active.size;
      server.closeAllConnections();
      await closed;
      return cut;
    },
  };
}
