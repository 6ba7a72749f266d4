import type { UploadRecord } from "../core/protocol.js";
import type { Authenticate } from "./auth/authenticate.js";
import type { ResolvedConfig } from "./config/resolved.js";
import type { Answer } from "./http/respond.js";
import type { Ledger } from "./ledger/types.js";
import type { GatewayLog } from "./observe/log.js";
import type { GatewayMetrics } from "./observe/metrics.js";
import type { Scrubber } from "./observe/scrub.js";
import type { StorageClient } from "./s3/types.js";
import type { SingleFlight } from "./single-flight.js";

/** What every handler works with: one per gateway. */
export interface Services {
  config: ResolvedConfig;
  storage: StorageClient;
  ledger: Ledger;
  authenticate: Authenticate;
  /** Whether any route takes uploads without credentials (else a create without them stops at once). */
  anyPublicRoute: boolean;
  log: GatewayLog;
  metrics: GatewayMetrics;
  scrub: Scrubber;
  /** Sends a verified upload to a route's webhook, in the background (close() waits for it). */
  deliverWebhook(
    webhook: { url: string; secret: string },
    upload: UploadRecord,
    completedBy: "client" | "sweeper",
  ): void;
  /** Completes in flight, by upload id: concurrent completes of one upload share one. */
  completions: SingleFlight<UploadRecord>;
}

/** One request as handlers see it. */
export interface RequestContext {
  /** The WHATWG Request, built on first use: prefer `method`, `headers` and `body` (readJson). */
  readonly request: Request;
  method: string;
  headers: Headers;
  /** The URL's pathname (no query). */
  pathname: string;
  /** The whole URL, parsed on first use. */
  readonly url: URL;
  /** The whole body when the adapter already read it (see readJson). */
  body?: Uint8Array;
  params: Record<string, string>;
  clientIp: string | undefined;
  /** Filled in by handlers for the request's log line. */
  log: { userId?: string; uploadId?: string; route?: string };
}

export type Handler = (services: Services, req: RequestContext) => Promise<Answer>;
