/**
 * An HTTP proxy in front of the store that cuts the storage off at a chosen request, for faults in
 * the middle of a completion. Requests are forwarded unchanged (the Host header too, so SigV4
 * signatures made for the proxy's address still verify at the store). Once armed rule fires, the
 * proxy is "down": every request and new connection is reset, until restore().
 *
 * - "before": the matching request is reset without reaching the store;
 * - "after": it is forwarded and answered, and the storage goes down after it;
 * - "swallow": it is forwarded and done by the store, but its answer is lost (the socket is reset).
 */
import { createServer, type IncomingMessage, request } from "node:http";
import type { Socket } from "node:net";

export type CutMode = "before" | "after" | "swallow";

export interface CutProxy {
  readonly url: string;
  /** Requests reset while down (or swallowed). */
  readonly cuts: number;
  /** Where requests go (set before the first one). */
  target: string;
  cutAt(match: (req: IncomingMessage) => boolean, mode: CutMode): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startCutProxy(): Promise<CutProxy> {
  let upstream: URL | undefined;
  let rule: { match: (req: IncomingMessage) => boolean; mode: CutMode } | undefined;
  let down = false;
  let cuts = 0;
  const sockets = new Set<Socket>();
  const reset = (socket: Socket) => {
    cuts++;
    socket.resetAndDestroy();
  };

  const server = createServer((req, res) => {
    if (down || !upstream) return reset(req.socket);
    const fired = rule?.match(req) ? rule.mode : undefined;
    if (fired) rule = undefined;
    if (fired === "before") {
      down = true;
      return reset(req.socket);
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        if (fired === "swallow") {
          down = true;
          answer.resume();
          answer.on("end", () => reset(req.socket));
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        if (fired === "after") res.on("finish", () => (down = true));
      },
    );
    forwarded.on("error", () => reset(req.socket));
    req.pipe(forwarded);
  });
  server.on("connection", (socket) => {
    if (down) return reset(socket);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    get cuts() {
      return cuts;
    },
    get target() {
      return upstream?.origin ?? "";
    },
    set target(url: string) {
      upstream = new URL(url);
    },
    cutAt(match, mode) {
      rule = { match, mode };
    },
    restore() {
      down = false;
      rule = undefined;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
