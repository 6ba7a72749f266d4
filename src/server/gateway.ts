import type { Registry } from "prom-client";
import { UpgateError } from "../core/errors.js";
import { createAuthenticator } from "./auth/authenticate.js";
import { keyPrefixes } from "./config/key-prefixes.js";
import { resolveConfig } from "./config/resolve.js";
import type { ResolvedConfig } from "./config/resolved.js";
import type { UpgateConfig } from "./config/types.js";
import type { RequestContext, Services } from "./context.js";
import { createEndpointRouter } from "./endpoints.js";
import { clientIp } from "./http/client-ip.js";
import { isPreflight, preflightResponse, withCors } from "./http/cors.js";
import { errorResponse } from "./http/error-response.js";
import { type Answer, toResponse } from "./http/respond.js";
import { fromRequest, registerServeIncoming, requestContext, type ServeIncoming } from "./incoming.js";
import { lazyLedger } from "./ledger/lazy.js";
import { openLedger } from "./ledger/open.js";
import type { Ledger } from "./ledger/types.js";
import { createGatewayLog } from "./observe/log.js";
import { createMetrics } from "./observe/metrics.js";
import { createScrubber } from "./observe/scrub.js";
import { credentialEvents, refreshMarginMs } from "./s3/credentials/refresh.js";
import { createCredentialSource } from "./s3/credentials/source.js";
import { createStorageClient } from "./s3/s3-client.js";
import type { StorageClient } from "./s3/types.js";
import { createSingleFlight } from "./single-flight.js";
import { sweep as runSweep } from "./sweep/index.js";
import { type SweepSchedule, scheduleSweeps } from "./sweep/schedule.js";
import type { SweepOptions, SweepReport } from "./sweep/types.js";
import { sweeperComplete } from "./uploads/complete/sweeper-complete.js";
import { createWebhookSender, WEBHOOK_DRAIN_MS } from "./webhook/deliveries.js";

/** What the adapter knows about the connection that the Request cannot carry. */
export interface RequestInfo {
  /** The socket's remote address (toNodeHandler passes it). Used unless trustProxy is on. */
  clientIp?: string;
}

export type GatewaySweepOptions = Pick<SweepOptions, "dryRun" | "limit" | "cursor" | "now">;

export interface Gateway {
  /** Answers one API request; never rejects (every failure is an error response). */
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
  /**
   * Stops startSweeping()'s sweeper (a sweep in flight stops before its next action) and waits for
   * it and for webhook deliveries in flight, together up to `webhookWaitMs` (default 15 s; then they
   * are abandoned), then closes the ledger if the gateway opened it.
   */
  close(options?: { webhookWaitMs?: number }): Promise<void>;
  /**
   * Completes uploads whose URLs lapsed with their object stored (verified as `complete` would:
   * hook and webhook told `completedBy: "sweeper"`), expires the rest once past the grace period,
   * and removes orphans under the routes' key prefixes (see sweep()).
   */
  sweep(options?: GatewaySweepOptions): Promise<SweepReport>;
  /**
   * Runs sweep() every `sweep.interval` (default 5 minutes, 30 seconds in dev mode) until close(),
   * each run going on where the last one's limit stopped it. For long-running servers (`upgate
   * serve` and `upgate dev` call it); on serverless platforms schedule sweep() instead. Does
   * nothing when already started or when the config turns the interval off (`sweep: false`).
   */
  startSweeping(): void;
  /** The audit ledger, opened and migrated on first use. */
  readonly ledger: Ledger;
  readonly storage: StorageClient;
  readonly config: ResolvedConfig;
  /** The gateway's own Prometheus registry (also served at GET /metrics). */
  readonly metrics: Registry;
}

/**
 * Creates the upload gateway: validates the config (throwing CONFIG_INVALID listing every problem),
 * and returns a fetch handler for any runtime with WHATWG Request/Response. The ledger is opened on
 * the first request that needs it.
 */
export function createGateway(input: UpgateConfig): Gateway {
  const config = resolveConfig(input);
  const metrics = createMetrics();
  // Refreshed storage credentials are secrets too: the scrubber asks for them when it runs.
  const scrub = createScrubber(config.secrets, () => credentials.secrets());
  const log = createGatewayLog(config.logger, scrub);
  const credentials = createCredentialSource(config.storage.credentials, {
    refreshMarginMs: refreshMarginMs(config.routes.values()),
    onRefresh: credentialEvents(log, metrics),
  });
  const storage = createStorageClient(config.storage, { credentials });
  const ledger = lazyLedger(() => openLedger(config.ledger), config.ledger.kind !== "instance");
  const webhooks = createWebhookSender(log);
  const services: Services = {
    config,
    storage,
    ledger,
    authenticate: createAuthenticator(config.auth),
    anyPublicRoute: [...config.routes.values()].some((route) => route.policy.public),
    log,
    metrics,
    scrub,
    deliverWebhook: webhooks.deliver,
    completions: createSingleFlight(),
  };
  const router = createEndpointRouter(config.mode);
  const prefixes = keyPrefixes(config.routes.values());
  let closed = false;
  let sweeping: SweepSchedule | undefined;

  const sweep = (options: GatewaySweepOptions & Pick<SweepOptions, "signal">) =>
    runSweep({
      ...options,
      ledger,
      storage,
      graceMs: config.sweep.graceMs,
      prefixes,
      complete: (row, dryRun) => sweeperComplete(services, row, dryRun),
    });

  async function dispatch(req: RequestContext, endpoint: { name: string }): Promise<Answer> {
    if (closed) throw new UpgateError("INTERNAL", "The gateway is closed");
    if (isPreflight(req)) {
      endpoint.name = "preflight";
      return preflightResponse(config.cors, req);
    }
    const path = config.basePath === "" ? req.pathname : stripBase(req.pathname, config.basePath);
    const match = path === undefined ? { kind: "not-found" as const } : router.match(req.method, path);
    if (match.kind === "not-found") throw new UpgateError("NOT_FOUND", "No such endpoint");
    endpoint.name = match.pattern;
    if (match.kind === "method-not-allowed") {
      throw new UpgateError("METHOD_NOT_ALLOWED", `Use ${match.allow.join(" or ")} here`, {
        details: { allow: match.allow },
      });
    }
    req.params = match.params;
    return match.handler(services, req);
  }

  /** One request, start to end: dispatch, errors, CORS, metrics and the request's log line. */
  const serve: ServeIncoming = async (incoming, info) => {
    const started = performance.now();
    const endpoint = { name: "unmatched" };
    let req: RequestContext | undefined;
    let answer: Answer;
    let code: string | undefined;
    try {
      req = requestContext(incoming, clientIp(incoming, info.clientIp, config.trustProxy));
      answer = await dispatch(req, endpoint);
    } catch (err) {
      code = err instanceof UpgateError ? err.code : "INTERNAL";
      answer = errorResponse(err, log, scrub);
    }
    answer = withCors(config.cors, incoming, answer);
    const seconds = (performance.now() - started) / 1000;
    const method = METRIC_METHODS.has(incoming.method) ? incoming.method : "OTHER";
    metrics.requests.inc({ route: endpoint.name, method, status: String(answer.status) });
    metrics.duration.observe({ route: endpoint.name, method }, seconds);
    log.request({
      method: incoming.method.slice(0, 16),
      path: (req?.pathname ?? "").slice(0, MAX_LOGGED_PATH),
      status: answer.status,
      durationMs: Math.round(seconds * 1e6) / 1000,
      endpoint: endpoint.name,
      ...req?.log,
      ...(req?.clientIp !== undefined && { clientIp: req.clientIp }),
      ...(code !== undefined && { code }),
    });
    return answer;
  };

  const gateway: Gateway = {
    async fetch(request, info = {}) {
      return toResponse(await serve(fromRequest(request), info));
    },

    async close(options = {}) {
      if (closed) return;
      closed = true;
      const waitMs = options.webhookWaitMs ?? WEBHOOK_DRAIN_MS;
      const deadline = Date.now() + waitMs;
      // A sweep in flight stops before its next action; what it already started gets the same wait.
      await sweeping?.stop(waitMs);
      await webhooks.drain(Math.max(0, deadline - Date.now()));
      await ledger.close();
    },

    sweep(options = {}) {
      return sweep(options);
    },

    startSweeping() {
      const intervalMs = config.sweep.intervalMs;
      if (sweeping || closed || intervalMs === undefined) return;
      sweeping = scheduleSweeps({
        intervalMs,
        sweep: (cursor, signal) => sweep({ signal, ...(cursor !== undefined && { cursor }) }),
        log,
      });
    },

    ledger,
    storage,
    config,
    metrics: metrics.registry,
  };
  // For toNodeHandler: requests served without building a Request or a Response (incoming.ts).
  registerServeIncoming(gateway, serve);
  return gateway;
}

/** Methods kept as metric labels; any other is "OTHER", so clients cannot mint label values. */
const METRIC_METHODS = new Set(["GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"]);
const MAX_LOGGED_PATH = 256;

function stripBase(pathname: string, basePath: string): string | undefined {
  if (pathname === basePath) return "/";
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined;
}
