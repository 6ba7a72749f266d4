import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Random } from "./random.js";

export interface GatewayProxy {
  url: string;
  /** Requests forwarded to each instance, in order. */
  forwarded: number[];
  /** Connections reset before the request reached a gateway (the client sees a network error). */
  resetBefore: number;
  /** Requests a gateway answered whose answer was thrown away and the connection reset. */
  responsesLost: number;
  close(): Promise<void>;
}

/**
 * A round-robin HTTP proxy in front of the gateway instances. A share `faultRate` of requests is
 * sabotaged, half before forwarding and half after the gateway answered (the answer is lost), so
 * the client's retry path runs against both cases.
 */
export async function startGatewayProxy(
  targets: readonly string[],
  faultRate: number,
  random: Random,
): Promise<GatewayProxy> {
  const upstreams = targets.map((target) => new URL(target));
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const stats = { forwarded: upstreams.map(() => 0), resetBefore: 0, responsesLost: 0 };
  const server: Server = createServer((req, res) => {
    const roll = random();
    if (roll < faultRate / 2) {
      stats.resetBefore++;
      req.socket.resetAndDestroy();
      return;
    }
    const loseAnswer = roll < faultRate;
    const index = next++ % upstreams.length;
    const target = upstreams[index]!;
    stats.forwarded[index]!++;
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        if (loseAnswer) {
          answer.resume();
          answer.on("end", () => {
            stats.responsesLost++;
            req.socket.resetAndDestroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.on("error", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get forwarded() {
      return stats.forwarded;
    },
    get resetBefore() {
      return stats.resetBefore;
    },
    get responsesLost() {
      return stats.responsesLost;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
