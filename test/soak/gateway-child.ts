/**
 * One soak gateway instance in its own process, so its RSS and open files are its own:
 *
 *   node --import tsx gateway-child.ts      (config as JSON in UPGATE_SOAK_GATEWAY)
 *
 * serves createGateway() through the node adapter on 127.0.0.1, port 0, with the Postgres ledger
 * on the run's schema, prints {"url": "..."} once it listens, and exits cleanly on SIGTERM.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { RouteConfig } from "../../src/server/config/types.js";
import { createGateway } from "../../src/server/gateway.js";
import { createPostgresLedger } from "../../src/server/ledger/postgres.js";
import { toNodeHandler } from "../../src/server/node.js";
import type { StorageConfig } from "../../src/server/s3/types.js";

export interface GatewayChildConfig {
  postgresUrl: string;
  schema: string;
  storage: StorageConfig;
  jwtSecret: string;
  routes: Record<string, RouteConfig>;
}

const raw = process.env.UPGATE_SOAK_GATEWAY;
if (!raw) {
  console.error("gateway-child.ts needs its config as JSON in UPGATE_SOAK_GATEWAY");
  process.exit(2);
}
const config = JSON.parse(raw) as GatewayChildConfig;
const ledger = createPostgresLedger(config.postgresUrl, {
  pool: { options: `-c search_path=${config.schema}`, max: 10 },
});
const gateway = createGateway({
  storage: config.storage,
  ledger,
  auth: { jwt: { secret: config.jwtSecret } },
  logger: { level: "silent" },
  routes: config.routes,
});
await gateway.ledger.migrate();
const server = createServer(
  toNodeHandler(gateway, { onError: (error) => console.error("soak gateway: request failed", error) }),
);
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});

process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void gateway
    .close()
    .then(() => ledger.close())
    .finally(() => process.exit(0));
});
