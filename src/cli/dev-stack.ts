/**
 * The whole dev setup in one process: the embedded store, the gateway in dev mode in front of it,
 * and one HTTP server for the gateway's API and the demo page. `upgate dev` runs it; tests start
 * it on port 0. The store and the page are on different origins, so browsers send real CORS
 * preflights to the store, as they would to S3.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import type { LevelWithSilent } from "pino";
import type { RouteConfig, UpgateConfig } from "../server/config/types.js";
import { createGateway, type Gateway } from "../server/gateway.js";
import { toNodeHandler } from "../server/node.js";
import {
  createObjectStore,
  DEV_CREDENTIALS,
  type ObjectStore,
  type StoreCredential,
} from "../store/index.js";
import { DEV_ROUTES, devCorsRules } from "./dev-routes.js";
import { staticFiles } from "./dev-static.js";
import { type Drain, trackRequests } from "./http/drain.js";

export const DEV_BUCKET = "uploads";
export const DEV_REGION = "us-east-1";

export interface DevStackOptions {
  /** The gateway and page's port (default 8080; 0 picks a free one). */
  port?: number;
  /** The store's port (default 9000; 0 picks a free one). */
  storePort?: number;
  /** Objects in <dataDir>/data, the ledger in <dataDir>/ledger.db, the dev token secret beside them. */
  dataDir: string;
  /** Address both servers bind (default 127.0.0.1; the store's dev credentials work only on loopback). */
  host?: string;
  /** The built demo page (web/dist). */
  webDir: string;
  /** Routes instead of the default images, documents and any. */
  routes?: Record<string, RouteConfig>;
  /** The gateway's log level (default "info"). */
  logLevel?: LevelWithSilent;
  /** The sweeper's settings; it runs every 30 seconds unless `interval` says otherwise (false: never). */
  sweep?: UpgateConfig["sweep"];
}

export interface DevStack {
  /** The page and the API (under /v1). */
  gatewayUrl: string;
  storeUrl: string;
  bucket: string;
  region: string;
  credentials: StoreCredential;
  gateway: Gateway;
  store: ObjectStore;
  /** Requests in flight, the gateway's and the store's. */
  inFlight(): number;
  /**
   * Stops taking requests and closes idle connections; the requests in flight may finish for up to
   * `graceMs`, then the rest are cut. The store keeps listening until the gateway's requests are
   * done, as they may need it. Then closes the gateway (its webhook deliveries get what is left of
   * the grace period; its ledger is flushed) and the store. Resolves with the number of requests cut.
   */
  shutdown(graceMs: number): Promise<number>;
  /** Cuts the requests in flight, waits for webhook deliveries as gateway.close() does, closes everything. */
  close(): Promise<void>;
}

/** The secret dev tokens are signed with, kept in the data folder so sign-ins survive restarts. */
async function devSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, "dev-secret");
  const existing = await readFile(file, "utf8").catch(() => "");
  if (existing.trim().length >= 32) return existing.trim();
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      const addr = server.address() as AddressInfo;
      done(`http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}`);
    });
  });
}

/** The origins the page may be opened from: the URL printed, and localhost for a loopback address. */
function pageOrigins(gatewayUrl: string): string[] {
  const url = new URL(gatewayUrl);
  return url.hostname === "127.0.0.1" ? [url.origin, `http://localhost:${url.port}`] : [url.origin];
}

function pagePolicy(storeUrl: string): string {
  const store = new URL(storeUrl).origin;
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval' lets the client compile its CRC kernel (WebAssembly, src/core/util/crc-wasm.ts);
    // it allows no JS eval. Without it the CRCs run in JS, about half as fast.
    "script-src 'self' 'wasm-unsafe-eval'",
    `connect-src 'self' ${store}`,
    // The client hashes CRC routes' parts in Workers started from a blob: URL (src/client/hash).
    "worker-src 'self' blob:",
    "img-src 'self' blob: data:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");
}

function isApi(pathname: string): boolean {
  return pathname.startsWith("/v1/") || pathname === "/healthz" || pathname === "/metrics";
}

async function shutdownStack(
  gatewayDrain: Drain,
  storeDrain: Drain,
  graceMs: number,
  closeRest: (webhookWaitMs: number) => Promise<void>,
): Promise<number> {
  const deadline = Date.now() + graceMs;
  const gatewayCut = gatewayDrain.close(graceMs);
  const storeCut = storeDrain.close(graceMs, { listenUntil: gatewayCut });
  const cut = (await gatewayCut) + (await storeCut);
  // Webhook deliveries get what is left of the grace period.
  await closeRest(Math.max(0, deadline - Date.now()));
  return cut;
}

export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const host = options.host ?? "127.0.0.1";
  const dataDir = resolve(options.dataDir);
  await mkdir(join(dataDir, "data"), { recursive: true });
  const store = createObjectStore({
    dataDir: join(dataDir, "data"),
    region: DEV_REGION,
    buckets: [DEV_BUCKET],
  });
  const storeDrain = trackRequests(store.server);
  await store.listen(options.storePort ?? 9000, host);
  /** Closers, run in reverse; `webhookWaitMs` bounds the gateway's wait for webhook deliveries. */
  const started: Array<(webhookWaitMs?: number) => Promise<void>> = [() => store.close()];
  const stop = async (webhookWaitMs?: number) => {
    for (const close of started.splice(0).reverse()) await close(webhookWaitMs).catch(() => {});
  };
  try {
    const gateway = createGateway({
      mode: "dev",
      storage: {
        endpoint: store.url,
        region: DEV_REGION,
        bucket: DEV_BUCKET,
        credentials: { ...DEV_CREDENTIALS },
        forcePathStyle: true,
      },
      ledger: `sqlite:${join(dataDir, "ledger.db")}`,
      auth: { dev: { secret: await devSecret(dataDir) } },
      routes: options.routes ?? DEV_ROUTES,
      logger: { level: options.logLevel ?? "info" },
      ...(options.sweep !== undefined && { sweep: options.sweep }),
    });
    started.push((webhookWaitMs) => gateway.close(webhookWaitMs === undefined ? {} : { webhookWaitMs }));
    const api = toNodeHandler(gateway);
    const files = staticFiles(options.webDir, { "content-security-policy": pagePolicy(store.url) });
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const pathname = (req.url ?? "/").split("?")[0]!;
      if (isApi(pathname)) return api(req, res);
      files(req, res, pathname).catch(() => res.destroy());
    });
    const gatewayDrain = trackRequests(server);
    const gatewayUrl = await listen(server, options.port ?? 8080, host);
    started.push(async () => {
      await gatewayDrain.close(0);
    });
    await store.state.backend.setBucketCors(DEV_BUCKET, devCorsRules(pageOrigins(gatewayUrl)));
    // Uploads whose page closed before its complete are completed (or expired) without it.
    gateway.startSweeping();
    return {
      gatewayUrl,
      storeUrl: store.url,
      bucket: DEV_BUCKET,
      region: DEV_REGION,
      credentials: { ...DEV_CREDENTIALS },
      gateway,
      store,
      inFlight: () => gatewayDrain.inFlight() + storeDrain.inFlight(),
      shutdown: (graceMs) => shutdownStack(gatewayDrain, storeDrain, graceMs, stop),
      close: async () => {
        await shutdownStack(gatewayDrain, storeDrain, 0, () => stop());
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
