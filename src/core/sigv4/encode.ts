/**
 * SigV4 URI encoding: every byte but A-Z a-z 0-9 - _ . ~ becomes %XY (upper-case hex, UTF-8).
 * encodeURIComponent already does this except for ! ' ( ) *, which we escape on top.
 */
import { sortSmall } from "./sort.js";

const EXTRA = /[!'()*]/g;
const escapeExtra = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

const UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;
const UNRESERVED_OR_SLASH = /^[A-Za-z0-9\-_.~/]*$/;

export function uriEncode(value: string): string {
  // Most names and values (X-Amz-Date, random keys, hex) need no escaping at all.
  if (UNRESERVED.test(value)) return value;
  return encodeURIComponent(value).replace(EXTRA, escapeExtra);
}

/** S3 path encoding: like uriEncode but "/" stays. No normalization, no double encoding. */
export function encodePath(path: string): string {
  if (UNRESERVED_OR_SLASH.test(path)) return path;
  return uriEncode(path).replace(/%2F/g, "/");
}

/** RFC 3986 dot-segment removal, as generic SigV4 services do (S3 does not). */
export function normalizePath(path: string): string {
  const out: string[] = [];
  const segments = path.split("/");
  for (const seg of segments) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  const trailing = path.endsWith("/") && out.length > 0 ? "/" : "";
  return `/${out.join("/")}${trailing}`;
}

export type QueryPairs = Array<[string, string]>;

const comparePairs = (a: readonly [string, string], b: readonly [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

/** Canonical query string from decoded name/value pairs: encode, sort by name then value, join. */
export function canonicalQuery(pairs: QueryPairs): string {
  return joinEncodedQuery(pairs.map(encodePair));
}

export const encodePair = ([k, v]: readonly [string, string]): [string, string] => [
  uriEncode(k),
  uriEncode(v),
];

/** Canonical query string from pairs already uriEncoded: sort by name then value, join. */
export function joinEncodedQuery(encoded: Array<readonly [string, string]>): string {
  sortSmall(encoded, comparePairs);
  let out = "";
  for (let i = 0; i < encoded.length; i++) {
    const [k, v] = encoded[i]!;
    out += i === 0 ? `${k}=${v}` : `&${k}=${v}`;
  }
  return out;
}

/**
 * Decodes one percent-encoded URL component. "+" is literal (S3 reads it as a plus in paths and
 * as a space only in form bodies, which do not pass through here). Returns undefined on bad escapes,
 * and on a lone surrogate, which has no UTF-8 form and so no SigV4 encoding.
 */
export function decodeComponent(text: string): string | undefined {
  if (!text.isWellFormed()) return undefined;
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Splits a raw query string (without "?") into decoded pairs; undefined on a bad escape. */
export function parseQuery(raw: string): QueryPairs | undefined {
  const pairs: QueryPairs = [];
  if (raw === "") return pairs;
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = decodeComponent(eq === -1 ? part : part.slice(0, eq));
    const value = decodeComponent(eq === -1 ? "" : part.slice(eq + 1));
    if (name === undefined || value === undefined) return undefined;
    pairs.push([name, value]);
  }
  return pairs;
}

/** Splits a request target ("/path?query") into its raw path and raw query. */
export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf("?");
  return q === -1 ? { path: target, query: "" } : { path: target.slice(0, q), query: target.slice(q + 1) };
}
