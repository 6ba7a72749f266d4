import type { RequestContext } from "./context.js";
import type { Answer } from "./http/respond.js";

/**
 * A request as the gateway needs it. `gateway.fetch()` makes one from a WHATWG Request; the node:http
 * adapter makes one straight from the IncomingMessage, with the body already read, and builds the
 * Request only if something asks for it (a custom auth function, a hook): most requests never do.
 */
export interface Incoming {
  method: string;
  /** Absolute URL. */
  url: string;
  headers: Headers;
  /** The whole body, when the adapter read it; otherwise it is read from the Request. */
  body?: Uint8Array;
  /** The WHATWG Request (with the body and a signal that aborts when the client leaves). */
  toRequest(): Request;
}

export type ServeIncoming = (incoming: Incoming, info: { clientIp?: string }) => Promise<Answer>;

/**
 * The internal seam between createGateway() and toNodeHandler() (docs/architecture.md): each
 * gateway's whole-request function, which skips building a WHATWG Request and Response. Kept here,
 * not on the gateway object, and exported by no subpath: it is not part of the public API.
 * createGateway() registers its gateway's; toNodeHandler() looks it up once, and serves anything
 * not registered (another fetch gateway, or a copy of upgate bundled twice) through `fetch`.
 */
const SERVE_INCOMING = new WeakMap<object, ServeIncoming>();

export function registerServeIncoming(gateway: object, serve: ServeIncoming): void {
  SERVE_INCOMING.set(gateway, serve);
}

export function serveIncomingOf(gateway: object): ServeIncoming | undefined {
  return SERVE_INCOMING.get(gateway);
}

export function fromRequest(request: Request): Incoming {
  return { method: request.method, url: request.url, headers: request.headers, toRequest: () => request };
}

/** The handlers' view of a request; `request` is built on first use. */
export function requestContext(incoming: Incoming, clientIp: string | undefined): RequestContext {
  let request: Request | undefined;
  const context: RequestContext = {
    get request() {
      request ??= incoming.toRequest();
      return request;
    },
    method: incoming.method,
    headers: incoming.headers,
    url: new URL(incoming.url),
    params: {},
    clientIp,
    log: {},
  };
  if (incoming.body !== undefined) context.body = incoming.body;
  return context;
}
