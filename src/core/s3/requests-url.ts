import { UpgateError } from "../errors.js";
import { decodeComponent, encodePath, uriEncode } from "../sigv4/encode.js";
import { shouldUseVirtualHost } from "../sigv4/target.js";
import { checkKey } from "../sigv4/validate.js";
import type { S3Request } from "./requests.js";

export interface S3Endpoint {
  /** http(s)://host[:port][/base path] of any S3-compatible service. */
  endpoint: string;
  /** Path style (`/bucket/key`) even when the bucket could be a host name label. */
  forcePathStyle?: boolean;
}

/**
 * The URL a request goes to: virtual-host style (`bucket.host/key`) unless path style is forced, the
 * bucket is not a DNS label or the endpoint is an IP address. Valueless sub-resources stay bare
 * (`?uploads`); everything is encoded as SigV4 canonicalizes it, so the signature sees the same bytes.
 */
export function requestUrl(target: S3Endpoint, req: S3Request): string {
  let u: URL;
  try {
    u = new URL(target.endpoint);
  } catch {
    throw new UpgateError("SIGN_INVALID_INPUT", `endpoint is not a URL: ${JSON.stringify(target.endpoint)}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new UpgateError("SIGN_INVALID_INPUT", `endpoint must be http or https, got ${u.protocol}`);
  }
  if (!req.bucket || req.bucket.includes("/")) {
    throw new UpgateError("SIGN_INVALID_INPUT", `invalid bucket name ${JSON.stringify(req.bucket)}`);
  }
  if (req.key !== undefined) checkKey(req.key);
  const base = (decodeComponent(u.pathname) ?? u.pathname).replace(/\/+$/, "");
  const virtual = shouldUseVirtualHost(req.bucket, u.hostname, target.forcePathStyle);
  const host = virtual ? `${req.bucket}.${u.host}` : u.host;
  const key = req.key === undefined ? "" : `/${req.key}`;
  const path = virtual ? `${base}${key || "/"}` : `${base}/${req.bucket}${key}`;
  let query = "";
  for (const name in req.query) {
    const value = req.query[name]!;
    query += `${query ? "&" : "?"}${uriEncode(name)}${value === "" ? "" : `=${uriEncode(value)}`}`;
  }
  return `${u.protocol}//${host}${encodePath(path)}${query}`;
}
