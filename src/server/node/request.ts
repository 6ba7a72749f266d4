/** The IncomingMessage side of toNodeHandler: method, URL, headers and body, checked and read. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorCode } from "../../core/errors.js";
import type { Incoming } from "../incoming.js";

/** Raised while reading the IncomingMessage: the client's fault, answered as such. */
export class ClientRequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const BODYLESS_METHODS = new Set(["GET", "HEAD"]);
/** Methods the fetch Request constructor refuses. */
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const HOST_PATTERN = /^(?:[a-z0-9._~-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
const EMPTY = new Uint8Array(0);

/** What every request needs before its body: checked method, absolute URL, every header. */
export interface RequestHead {
  method: string;
  url: string;
  headers: Headers;
}

export function requestHead(req: IncomingMessage, origin: string | undefined): RequestHead {
  const method = (req.method ?? "GET").toUpperCase();
  if (FORBIDDEN_METHODS.has(method)) {
    throw new ClientRequestError("METHOD_NOT_ALLOWED", `${method} is not supported`);
  }
  return { method, url: requestUrl(req, origin), headers: requestHeaders(req) };
}

/**
 * The body: whole, when it is small enough to read first (a declared length up to `limit`, or what
 * a body parser already read); otherwise a stream that reads the socket only as fast as the gateway
 * consumes it. A client that goes away mid-body leaves a stream that errors.
 */
export async function requestBody(
  req: IncomingMessage,
  head: RequestHead,
  limit: number,
): Promise<Uint8Array | ReadableStream<Uint8Array>> {
  if (BODYLESS_METHODS.has(head.method)) return EMPTY;
  const parsed = alreadyParsedBody(req, head.headers);
  if (parsed !== undefined) return parsed;
  const length = declaredLength(req);
  if (length === undefined || length > limit) return bodyStream(req);
  if (length === 0) return EMPTY;
  try {
    return await readWhole(req, length);
  } catch (error) {
    return new ReadableStream({ start: (controller) => controller.error(error) });
  }
}

/** The WHATWG Request, carrying the body as read (or streamed) and a signal for the client leaving. */
export function toFetchRequest(
  head: RequestHead,
  body: Uint8Array | ReadableStream<Uint8Array>,
  res: ServerResponse,
): Request {
  const init: RequestInit & { duplex?: "half" } = {
    method: head.method,
    headers: head.headers,
    signal: closeSignal(res),
  };
  if (BODYLESS_METHODS.has(head.method)) {
    // No body: fetch refuses one on GET and HEAD.
  } else if (body instanceof ReadableStream) {
    init.body = body;
    init.duplex = "half";
  } else {
    // Node's Buffers are Uint8Arrays over a (possibly pooled) ArrayBuffer: valid bodies at run time.
    init.body = body as Uint8Array<ArrayBuffer>;
  }
  return new Request(head.url, init);
}

/** The gateway's own view of the request, whole body included; the Request is built only if asked for. */
export function toIncoming(head: RequestHead, body: Uint8Array, res: ServerResponse): Incoming {
  // Field by field: on Node 20, a literal that starts with a spread and adds fields costs about 1 µs.
  return {
    method: head.method,
    url: head.url,
    headers: head.headers,
    body,
    toRequest: () => toFetchRequest(head, body, res),
  };
}

/**
 * The WHATWG Request for an IncomingMessage, its body streamed. Throws ClientRequestError for what
 * fetch cannot carry.
 */
export function toRequest(req: IncomingMessage, res: ServerResponse, origin?: string): Request {
  const head = requestHead(req, origin);
  const parsed = BODYLESS_METHODS.has(head.method) ? EMPTY : alreadyParsedBody(req, head.headers);
  return toFetchRequest(head, parsed ?? bodyStream(req), res);
}

/** Content-Length when the body has one; undefined for chunked bodies (length unknown). */
function declaredLength(req: IncomingMessage): number | undefined {
  if (req.headers["transfer-encoding"] !== undefined) return undefined;
  const declared = req.headers["content-length"];
  // node:http has checked it is a number; no framing header at all means no body.
  return declared === undefined ? 0 : Number(declared);
}

function requestUrl(req: IncomingMessage, origin: string | undefined): string {
  const target = req.url ?? "/";
  // Absolute-form targets (proxy style) keep only their path: the origin comes from Host or config.
  const path = target.startsWith("/") ? target : pathOfAbsolute(target);
  return `${origin ?? originFromHost(req)}${path}`;
}

function pathOfAbsolute(target: string): string {
  if (URL.canParse(target)) {
    const url = new URL(target);
    return `${url.pathname}${url.search}`;
  }
  throw new ClientRequestError("VALIDATION_FAILED", "The request target is not a path");
}

function originFromHost(req: IncomingMessage): string {
  const host = req.headers.host ?? (req.headers[":authority"] as string | undefined) ?? "localhost";
  if (!HOST_PATTERN.test(host)) throw new ClientRequestError("VALIDATION_FAILED", "Invalid Host header");
  const tls = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  return `${tls ? "https" : "http"}://${host}`;
}

/** Every header as sent, repeats included (rawHeaders keeps them apart); HTTP/2 pseudo-headers dropped. */
function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (!name.startsWith(":")) headers.append(name, raw[i + 1]!);
  }
  return headers;
}

/** Aborted when the client goes away before the response is finished. */
function closeSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  const gone = () => controller.abort(new Error("the client closed the connection"));
  if (res.destroyed && !res.writableFinished) gone();
  else
    res.once("close", () => {
      if (!res.writableFinished) gone();
    });
  return controller.signal;
}

/**
 * When a body parser (express.json(), express.text(), express.raw()) has already read the stream, the
 * bytes are gone: serialize what it left in req.body instead. Framing headers are rewritten to match.
 */
function alreadyParsedBody(req: IncomingMessage, headers: Headers): Uint8Array | undefined {
  const consumed = req.readableEnded || (req as { _body?: unknown })._body === true;
  if (!consumed) return undefined;
  const parsed = (req as { body?: unknown }).body;
  if (parsed === undefined) {
    throw new Error("upgate: the request body was read by another middleware, which did not keep it");
  }
  let bytes: Uint8Array;
  if (parsed instanceof Uint8Array) {
    bytes = parsed;
  } else if (typeof parsed === "string") {
    bytes = new TextEncoder().encode(parsed);
  } else {
    bytes = new TextEncoder().encode(JSON.stringify(parsed));
    if (!headers.get("content-type")?.includes("json")) headers.set("content-type", "application/json");
  }
  headers.delete("transfer-encoding");
  headers.delete("content-encoding");
  headers.set("content-length", String(bytes.byteLength));
  return bytes;
}

/** Reads a body of known length whole; rejects when the client goes away first. */
function readWhole(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length)));
    req.once("error", reject);
    req.once("close", () => {
      if (!req.complete) reject(new Error("the client aborted the request body"));
    });
  });
}

/** The request body as a web stream that reads the socket only as fast as the gateway consumes it. */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.pause();
      req.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once("end", () => {
        settled = true;
        controller.close();
      });
      req.once("error", (error) => {
        if (settled) return;
        settled = true;
        controller.error(error);
      });
      req.once("close", () => {
        if (settled || req.complete) return;
        settled = true;
        controller.error(new Error("the client aborted the request body"));
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      settled = true;
      // Drain and discard: destroying the request would also destroy the socket we answer on.
      req.removeAllListeners("data");
      req.resume();
    },
  });
}
