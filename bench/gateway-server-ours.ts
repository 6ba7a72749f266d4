/**
 * bench:gateway (a): upgate's POST /v1/uploads, served by toNodeHandler on node:http. JWT (HS256)
 * auth, the route's policy, a quota reserved in SQLite (a file on disk, the WAL synced before
 * each answer as shipped, concurrent reservations group-committed), a random server-chosen key and a presigned PUT that signs content-length,
 * content-type, if-none-match and the upgate metadata. Logging at the default level (info).
 * Counts the WAL's fdatasync calls for the bench (IPC message { stats: true }).
 * argv: <data dir>
 */
import fs from "node:fs";
import { createServer } from "node:http";
import { syncBuiltinESMExports } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createGateway, defineConfig } from "../src/server/index.js";
import { toNodeHandler } from "../src/server/node.js";
import { ALLOWED_TYPES, JWT_SECRET, ROUTE, STORAGE } from "./gateway-config.js";

// Counts the ledger's WAL syncs (wal-sync.ts calls fdatasync once per group-commit sync, and each
// commit waits for one): requests per sync is how many requests share a commit. Answered over IPC.
let walSyncs = 0;
const fdatasync = fs.fdatasync;
fs.fdatasync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
  walSyncs++;
  fdatasync(fd, callback);
}) as typeof fs.fdatasync;
syncBuiltinESMExports();
process.on("message", (message: { stats?: boolean }) => {
  if (message?.stats) process.send?.({ stats: { walSyncs } });
});

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: gateway-server-ours <data dir>");

const gateway = createGateway(
  defineConfig({
    storage: { ...STORAGE, forcePathStyle: true },
    ledger: `sqlite:${join(dataDir, "ledger.db")}`,
    auth: { jwt: { secret: JWT_SECRET } },
    routes: {
      [ROUTE]: {
        types: ALLOWED_TYPES,
        maxSize: "10MB",
        maxFiles: 10,
        quota: { bytes: "1TB", files: 1_000_000, period: "day" },
      },
    },
  }),
);

const server = createServer(toNodeHandler(gateway));
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}` });
});

// Exit cleanly on SIGINT, so that --cpu-prof writes its profile.
process.once("SIGINT", () => process.exit(0));
