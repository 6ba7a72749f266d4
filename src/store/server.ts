import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { headerMap, pairsFromRaw } from "../core/sigv4/headers.js";
import { verifyRequest } from "../core/sigv4/verify.js";
import { checkAuthParamsOnce } from "./auth-params.js";
import { BackendError } from "./backend/errors.js";
import { createFsBackend } from "./backend/fs/backend.js";
import { readVerifiedBody } from "./body.js";
import { onClientError, timeOutSocket, trackResponse } from "./client-error.js";
import type { BodyResult, Handler, RequestContext, StoreState } from "./context.js";
import { corsResponseHeaders, matchCorsRule } from "./cors.js";
import { S3Error } from "./errors.js";
import { handlers } from "./handlers/index.js";
import {
  DEFAULT_REGION,
  DEV_CREDENTIALS,
  isLoopback,
  MAX_SINGLE_PUT,
  type ObjectStoreOptions,
} from "./options.js";
import { sendError } from "./respond.js";
import { type Operation, parseRoute, resolveOperation } from "./router.js";
import { DEFAULT_MIN_BODY_RATE, watchBodyRate } from "./slow-body.js";
import { createCredentialRegistry, type TemporaryCredentials } from "./sts/registry.js";

export interface ObjectStore {
  listen(port?: number, host?: string): Promise<void>;
  close(): Promise<void>;
  /** http://host:port once listening. */
  readonly url: string;
  readonly server: Server;
  readonly state: StoreState;
  /**
   * New temporary credentials (a key, secret, session token and expiry) that the store accepts until
   * they expire, as its STS endpoint issues them: for stand-ins of credential endpoints (ECS, IMDS).
   */
  issueCredentials(seconds: number): TemporaryCredentials;
}

/** Operations that authenticate themselves or need no signature. */
const SELF_AUTHENTICATED = new Set<Operation>(["PostObject", "Preflight", "Sts"]);

export function createObjectStore(options: ObjectStoreOptions = {}): ObjectStore {
  if (!options.backend && !options.dataDir) throw new Error("createObjectStore needs dataDir or backend");
  const backend =
    options.backend ??
    createFsBackend({ dataDir: options.dataDir!, durability: options.durability ?? "fsync" });
  const explicitCredentials = (options.credentials?.length ?? 0) > 0;
  const credentials = explicitCredentials ? options.credentials! : [DEV_CREDENTIALS];
  const now = options.now ?? (() => new Date());
  const state: StoreState = {
    backend,
    options,
    region: options.region ?? DEFAULT_REGION,
    now,
    credentials: createCredentialRegistry(credentials, now),
  };
  const log = options.log ?? (() => {});
  const headersTimeout = options.headersTimeoutMs ?? 30_000;
  const server = createServer(
    {
      requestTimeout: 0,
      headersTimeout,
      // node checks the headers timeout on this interval (30 s by default, too coarse for short timeouts).
      connectionsCheckingInterval: Math.max(50, Math.min(5_000, headersTimeout / 4)),
    },
    (req, res) => serve(req, res),
  );
  function serve(req: IncomingMessage, res: ServerResponse): void {
    handle(state, req, res).catch((err) => {
      log({ msg: "unhandled store error", err: String(err) });
      if (!res.headersSent) sendError(res, req.method ?? "GET", "0", new S3Error("InternalError"));
      else res.destroy();
    });
  }
  // node answers any Expect other than 100-continue with 417 unless this is listened for; S3 ignores
  // expectations it does not know (an empty one included) and serves the request.
  server.on("checkExpectation", serve);
  server.on("clientError", onClientError);
  server.keepAliveTimeout = 5_000;
  const idle = options.idleTimeoutMs ?? 60_000;
  server.setTimeout(idle, timeOutSocket);

  let url = "";
  let started = false;
  return {
    server,
    state,
    issueCredentials: (seconds) => state.credentials.issue(seconds),
    get url() {
      if (!url) throw new Error("the store is not listening yet");
      return url;
    },
    async listen(port = 9000, host = "127.0.0.1") {
      if (!explicitCredentials && !isLoopback(host)) {
        throw new Error(
          `refusing to listen on ${host} with the built-in dev credentials: pass credentials (or UPGATE_STORE_ACCESS_KEY / UPGATE_STORE_SECRET_KEY)`,
        );
      }
      if (!started) {
        await backend.init();
        for (const bucket of options.buckets ?? []) {
          await backend.createBucket(bucket);
          if (options.cors && !(await backend.getBucket(bucket))?.cors)
            await backend.setBucketCors(bucket, options.cors);
        }
        started = true;
      }
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
      const addr = server.address() as AddressInfo;
      const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
      url = `http://${shownHost}:${addr.port}`;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await backend.close();
    },
  };
}

async function handle(state: StoreState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomBytes(8).toString("hex").toUpperCase();
  const method = req.method ?? "GET";
  const headers = headerMap(pairsFromRaw(req.rawHeaders));
  res.setHeader("x-amz-request-id", requestId);
  res.setHeader("server", "upgate-store");
  trackResponse(req.socket, res, method, requestId);
  if (hasBody(headers)) {
    watchBodyRate(req, res, state.options.minBodyRate ?? DEFAULT_MIN_BODY_RATE, () =>
      timeOutSocket(req.socket),
    );
  }
  let ctx: RequestContext | undefined;
  try {
    const route = parseRoute(req.url ?? "/", headers.get("host"), state.options.domain);
    if (route.key !== undefined && Buffer.byteLength(route.key) > 1024) throw new S3Error("KeyTooLongError");
    const operation = resolveOperation(method, route, headers);
    ctx = makeContext(state, req, res, requestId, method, route, headers);
    await applyCors(ctx, operation);
    if (!SELF_AUTHENTICATED.has(operation)) {
      checkAuthParamsOnce(req.url ?? "/");
      const result = await verifyRequest(
        { method, url: req.url ?? "/", headers: pairsFromRaw(req.rawHeaders) },
        {
          region: state.region,
          lookupSecret: (id) => state.credentials.lookup(id),
          now: state.now(),
          ...(state.options.maxSkewMs !== undefined ? { maxSkewMs: state.options.maxSkewMs } : {}),
        },
      );
      if (!result.ok) throw S3Error.fromFailure(result.error);
      ctx.auth = result.auth;
      for (const [k, v] of result.auth.query) if (!ctx.query.has(k)) ctx.query.set(k, v);
    }
    const handler: Handler = handlers[operation];
    await handler(ctx);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const s3err =
      err instanceof S3Error ? err : err instanceof BackendError ? fromBackend(err) : internal(state, err);
    // A refused request whose body was never read: close the connection rather than drain an upload.
    if (!(ctx?.bodyConsumed ?? false) && hasBody(headers)) res.shouldKeepAlive = false;
    sendError(res, method, requestId, s3err);
  }
}

/** A backend refusal (bad name, key or argument) is the client's error, with S3's code. */
function fromBackend(err: BackendError): S3Error {
  switch (err.code) {
    case "InvalidKey":
      return new S3Error("InvalidArgument", err.message);
    case "NoSuchBucket":
    case "NoSuchUpload":
    case "InvalidPart":
    case "InvalidBucketName":
    case "InvalidArgument":
      return new S3Error(err.code, err.message);
  }
}

function internal(state: StoreState, err: unknown): S3Error {
  const code = (err as { code?: string })?.code;
  (state.options.log ?? (() => {}))({ msg: "internal error", code, err: String(err) });
  if (code === "ENOSPC")
    return new S3Error("InternalError", "The store has run out of disk space; nothing was written.");
  return new S3Error("InternalError");
}

function hasBody(headers: Map<string, string>): boolean {
  const len = headers.get("content-length");
  return (len !== undefined && len !== "0") || headers.has("transfer-encoding");
}

async function applyCors(ctx: RequestContext, operation: Operation): Promise<void> {
  const origin = ctx.headers.get("origin");
  if (!origin || operation === "Preflight" || !ctx.bucket) return;
  const bucket = await ctx.state.backend.getBucket(ctx.bucket);
  const rule = matchCorsRule(bucket?.cors, origin, ctx.method);
  if (!rule) return;
  for (const [k, v] of Object.entries(corsResponseHeaders(rule, origin))) ctx.res.setHeader(k, v);
}

function makeContext(
  state: StoreState,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  method: string,
  route: ReturnType<typeof parseRoute>,
  headers: Map<string, string>,
): RequestContext {
  const ctx: RequestContext = {
    req,
    res,
    requestId,
    method,
    bucket: route.bucket,
    key: route.key,
    query: route.query,
    headers,
    auth: undefined,
    state,
    bodyConsumed: !hasBody(headers),
    async readBody(sink, limits = {}): Promise<BodyResult> {
      const max = limits.maxBytes ?? state.options.maxObjectSize ?? MAX_SINGLE_PUT;
      try {
        return await readVerifiedBody(req, headers, ctx.auth, sink, max, limits.checksumHeaders ?? true);
      } finally {
        ctx.bodyConsumed = req.readableEnded;
      }
    },
    async readSmallBody(maxBytes, options = {}) {
      // aws-chunked: Content-Length counts the chunk framing too; the payload is the decoded length.
      const declared = Number(
        headers.get("x-amz-decoded-content-length") ?? headers.get("content-length") ?? 0,
      );
      if (declared > maxBytes) throw new S3Error("MaxMessageLengthExceeded");
      const parts: Uint8Array[] = [];
      await ctx.readBody(
        async (c) => {
          parts.push(c);
        },
        { ...options, maxBytes },
      );
      return Buffer.concat(parts);
    },
  };
  return ctx;
}
