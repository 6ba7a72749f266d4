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

/** The handlers' view of a request; `request` and `url` are built on first use. */
export function requestContext(incoming: Incoming, clientIp: string | undefined): RequestContext {
  const pathname = plainPathname(incoming.url);
  if (pathname !== undefined) return new Context(incoming, clientIp, pathname, undefined);
  const url = new URL(incoming.url);
  return new Context(incoming, clientIp, url.pathname, url);
}

/** A class, not a literal: a literal with getters costs microseconds to create on Node 20. */
class Context implements RequestContext {
  method: string;
  headers: Headers;
  params: Record<string, string> = {};
  log: RequestContext["log"] = {};
  // Declared only: the property exists when the adapter read the body, as before.
  declare body?: Uint8Array;
  #incoming: Incoming;
  #request: Request | undefined;
  #url: URL | undefined;

  constructor(
    incoming: Incoming,
    public clientIp: string | undefined,
    public pathname: string,
    url: URL | undefined,
  ) {
    this.method = incoming.method;
    this.headers = incoming.headers;
    this.#incoming = incoming;
    this.#url = url;
    if (incoming.body !== undefined) this.body = incoming.body;
  }

  get request(): Request {
    this.#request ??= this.#incoming.toRequest();
    return this.#request;
  }

  get url(): URL {
    this.#url ??= new URL(this.#incoming.url);
    return this.#url;
  }
}

/** A path URL leaves as it is: no dot segments, escapes, or characters it would encode. */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_~-]*)+$/;
/** An http(s) scheme and an authority with nothing in it that could end it before the path. */
const PLAIN_ORIGIN = /^https?:\/\/[^/\\?#]+$/;
/** The last origin seen to parse: a server sees the same one again and again. */
let parsedOrigin = "";

/**
 * The URL's pathname without parsing the URL (about 3 µs a request), when its path is plain and
 * its origin one that parsed before (whether an origin parses does not depend on a plain path
 * after it); else undefined.
 */
function plainPathname(absolute: string): string | undefined {
  const start = absolute.indexOf("/", absolute.indexOf("//") + 2);
  if (start < 0) return undefined;
  const query = absolute.indexOf("?", start);
  const path = absolute.slice(start, query < 0 ? absolute.length : query);
  if (!PLAIN_PATH.test(path)) return undefined;
  const origin = absolute.slice(0, start);
  if (origin !== parsedOrigin) {
    if (!PLAIN_ORIGIN.test(origin) || new URL(absolute).pathname !== path) return undefined;
    parsedOrigin = origin;
  }
  return path;
}
