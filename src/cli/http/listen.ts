import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Drain, trackRequests } from "./drain.js";

export interface HttpServer extends Drain {
  server: Server;
  /** http://host:port */
  url: string;
}

/** A node:http server for `handler` on host:port (0 picks a free port), closable gracefully. */
export async function listenHttp(handler: RequestListener, port: number, host: string): Promise<HttpServer> {
  const server = createServer(handler);
  const drain = trackRequests(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return { server, url: `http://${shownHost}:${addr.port}`, ...drain };
}
