import { UpgateError } from "../errors.js";
import {
  decodeComponent,
  encodePath,
  normalizePath,
  parseQuery,
  type QueryPairs,
  splitTarget,
} from "./encode.js";
import { checkKey } from "./validate.js";

export type Target =
  | { url: string }
  | { endpoint: string; bucket: string; key: string; forcePathStyle?: boolean };

export interface ResolvedTarget {
  origin: string;
  host: string;
  /** The encoded path to put in the URL. */
  urlPath: string;
  /** The path as it appears in the canonical request. */
  canonicalPath: string;
  query: QueryPairs;
}

interface Endpoint {
  protocol: string;
  host: string;
  hostname: string;
  basePath: string;
}
const endpoints = new Map<string, Endpoint>();

function parseEndpoint(endpoint: string): Endpoint {
  const hit = endpoints.get(endpoint);
  if (hit) return hit;
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new UpgateError("SIGN_INVALID_INPUT", `endpoint is not a URL: ${JSON.stringify(endpoint)}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new UpgateError("SIGN_INVALID_INPUT", `endpoint must be http or https, got ${u.protocol}`);
  }
  const parsed = {
    protocol: u.protocol,
    host: u.host,
    hostname: u.hostname,
    basePath: (decodeComponent(u.pathname) ?? u.pathname).replace(/\/+$/, ""),
  };
  if (endpoints.size > 64) endpoints.clear();
  endpoints.set(endpoint, parsed);
  return parsed;
}

const DNS_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** Virtual-host style needs a bucket that is a single DNS label (dots would break TLS wildcards). */
export function isVirtualHostable(bucket: string): boolean {
  return DNS_BUCKET.test(bucket) && !bucket.includes("--");
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Whether a request to `hostname` (an endpoint's, as URL.hostname gives it) goes virtual-host style.
 * Never for IP literals: "bucket.127.0.0.1" is not a host, so the SDK's endpoint rules use path style.
 */
export function shouldUseVirtualHost(bucket: string, hostname: string, forcePathStyle = false): boolean {
  const ip = IPV4.test(hostname) || hostname.startsWith("[");
  return !forcePathStyle && !ip && isVirtualHostable(bucket);
}

/**
 * S3 signs the path exactly as encoded, once, with no dot-segment removal. Generic SigV4 services
 * (the AWS test suites' "service") also remove dot segments.
 */
export function resolveTarget(target: Target, genericPath = false): ResolvedTarget {
  if ("url" in target) {
    let u: URL;
    try {
      u = new URL(target.url);
    } catch {
      throw new UpgateError("SIGN_INVALID_INPUT", `url is not a URL: ${JSON.stringify(target.url)}`);
    }
    // The URL parser normalizes dot segments; S3 must not, so the path is read from the raw text.
    const afterScheme = target.url.indexOf("//") + 2;
    const hostEnd = target.url.slice(afterScheme).search(/[/?#]/);
    const raw = (hostEnd === -1 ? "" : target.url.slice(afterScheme + hostEnd)).replace(/#.*$/, "");
    const { path: rawPath, query: rawQuery } = splitTarget(raw);
    const decoded = decodeComponent(rawPath || "/");
    if (decoded === undefined)
      throw new UpgateError("SIGN_INVALID_INPUT", "url path has a bad percent-escape");
    const query = parseQuery(rawQuery);
    if (!query) throw new UpgateError("SIGN_INVALID_INPUT", "url query has a bad percent-escape");
    const urlPath = encodePath(decoded);
    const canonicalPath = genericPath ? encodePath(normalizePath(decoded)) : urlPath;
    return { origin: `${u.protocol}//${u.host}`, host: u.host, urlPath, canonicalPath, query };
  }
  const { endpoint, bucket, key, forcePathStyle } = target;
  checkKey(key);
  if (!bucket || bucket.includes("/")) {
    throw new UpgateError("SIGN_INVALID_INPUT", `invalid bucket name ${JSON.stringify(bucket)}`);
  }
  const ep = parseEndpoint(endpoint);
  const virtual = shouldUseVirtualHost(bucket, ep.hostname, forcePathStyle);
  const host = virtual ? `${bucket}.${ep.host}` : ep.host;
  const path = encodePath(virtual ? `${ep.basePath}/${key}` : `${ep.basePath}/${bucket}/${key}`);
  return { origin: `${ep.protocol}//${host}`, host, urlPath: path, canonicalPath: path, query: [] };
}
