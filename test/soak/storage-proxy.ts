import type { AddressInfo } from "node:net";
import { connect, createServer, type Server, type Socket } from "node:net";
import { logUniform, type Random } from "./random.js";

export interface StorageProxy {
  /** http://127.0.0.1:<port>: sign URLs for it (path-style); bytes pass through unchanged. */
  url: string;
  connections: number;
  /** Connections reset part-way through what the client was sending. */
  resets: number;
  close(): Promise<void>;
}

/**
 * A TCP pass-through in front of the storage endpoint. Each new connection is doomed with
 * probability `faultRate`: it is reset (RST) after a random number of bytes from the client
 * (log-uniform from 256 B to 8 MiB, so small requests are hit too), which cuts whichever request is on it, a PUT, a part, or one of the gateway's own calls.
 * Being below HTTP, it changes nothing a signature covers: the Host header still names the proxy.
 */
export async function startStorageProxy(
  target: string,
  faultRate: number,
  random: Random,
): Promise<StorageProxy> {
  const upstream = new URL(target);
  const port = Number(upstream.port || (upstream.protocol === "https:" ? 443 : 80));
  if (upstream.protocol !== "http:")
    throw new Error(`the storage proxy forwards plain HTTP only, not ${target}`);
  const open = new Set<Socket>();
  const stats = { connections: 0, resets: 0 };
  const server: Server = createServer((client) => {
    stats.connections++;
    const remote = connect(port, upstream.hostname);
    open.add(client);
    open.add(remote);
    const doomedAfter =
      random() < faultRate ? logUniform(random, 256, 8 * 1024 * 1024) : Number.POSITIVE_INFINITY;
    let seen = 0;
    client.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > doomedAfter && !client.destroyed) {
        stats.resets++;
        client.resetAndDestroy();
        remote.destroy();
        return;
      }
      if (!remote.write(chunk)) client.pause();
    });
    remote.on("drain", () => client.resume());
    remote.pipe(client);
    client.on("end", () => remote.end());
    const close = () => {
      client.destroy();
      remote.destroy();
      open.delete(client);
      open.delete(remote);
    };
    client.on("error", close);
    remote.on("error", close);
    client.on("close", close);
    remote.on("close", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    get connections() {
      return stats.connections;
    },
    get resets() {
      return stats.resets;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
