/**
 * The gateway in its own process, for tests that kill it with SIGKILL:
 *
 *   UPGATE_FAULT_GATEWAY='{"storeUrl":..., "ledger":{...}, ...}' node gateway-child.mjs
 *
 * serves createGateway() through toNodeHandler on 127.0.0.1, port 0, and prints {"url": "..."} on one
 * line of stdout once it listens. Each line `sweep {"nowMs":..., "limit":...}` on stdin runs the
 * sweeper to the end (following `next`) and prints {"swept": counts}. It runs until killed.
 */
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { createGateway } from "../../src/server/gateway.js";
import { createPostgresLedger } from "../../src/server/ledger/postgres.js";
import type { Ledger } from "../../src/server/ledger/types.js";
import { toNodeHandler } from "../../src/server/node.js";
import type { ChildConfig } from "./gateway-config.js";

const config = JSON.parse(process.env.UPGATE_FAULT_GATEWAY ?? "null") as ChildConfig | null;
if (!config) {
  console.error("usage: UPGATE_FAULT_GATEWAY='<json ChildConfig>' gateway-child.mjs");
  process.exit(2);
}

const ledger: string | Ledger =
  config.ledger.kind === "sqlite"
    ? `sqlite:${config.ledger.path}`
    : createPostgresLedger(config.ledger.url, {
        pool: { options: `-c search_path=${config.ledger.schema}`, application_name: "upgate-fault-child" },
      });

const gateway = createGateway({
  ledger,
  auth: { jwt: { secret: config.jwtSecret } },
  logger: { level: "silent" },
  routes: config.routes,
  sweep: { grace: config.graceSeconds },
  storage: {
    endpoint: config.storeUrl,
    region: config.region,
    bucket: config.bucket,
    credentials: config.credentials,
    forcePathStyle: true,
  },
});
await gateway.ledger.migrate();

const server = createServer(toNodeHandler(gateway, { onError: (error) => console.error(error) }));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const address = server.address();
if (address === null || typeof address === "string") throw new Error("no TCP address");
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.startsWith("sweep ")) continue;
  const { nowMs, limit } = JSON.parse(line.slice("sweep ".length)) as { nowMs: number; limit: number };
  const counts = { expired: 0, abortedMultipart: 0, deletedObjects: 0, failed: 0 };
  let cursor: string | undefined;
  do {
    const report = await gateway.sweep({ now: new Date(nowMs), limit, ...(cursor && { cursor }) });
    for (const name of Object.keys(counts) as Array<keyof typeof counts>) counts[name] += report.counts[name];
    cursor = report.next;
  } while (cursor !== undefined);
  process.stdout.write(`${JSON.stringify({ swept: counts })}\n`);
}
