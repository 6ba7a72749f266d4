import { expect } from "vitest";
import { sha256Hex } from "../../src/core/sigv4/crypto.js";
import { headerMap } from "../../src/core/sigv4/headers.js";
import { presignUrl } from "../../src/core/sigv4/presign.js";
import { signRequest } from "../../src/core/sigv4/sign-request.js";
import { headerValue, parseRawRequest, type RawRequest } from "./raw-http.js";
import { type AwsCAuthCase, contextCredentials } from "./vectors.js";

const TOKEN_HEADER = "x-amz-security-token";
const TOKEN_PARAM = "X-Amz-Security-Token";

function origin(req: RawRequest): string {
  const host = headerValue(req, "host");
  if (!host) throw new Error("the request has no Host header");
  return `https://${host.trim()}`;
}

/** The token a context attaches after signing, if any (post-sts-header-after). */
const lateToken = (c: AwsCAuthCase): string | undefined =>
  c.context.omit_session_token ? c.context.credentials.token : undefined;

const lines = (pairs: Iterable<readonly [string, string]>): string[] =>
  [...pairs].map(([name, value]) => `${name.toLowerCase()}:${value}`).sort();

/** Percent-decoded name/value pairs of a raw query, sorted, for order-insensitive comparison. */
function queryLines(query: string): string[] {
  if (query === "") return [];
  return query
    .split("&")
    .map((part) => {
      const eq = part.indexOf("=");
      const [k, v] = eq === -1 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
      return `${decodeURIComponent(k)}=${decodeURIComponent(v)}`;
    })
    .sort();
}

function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf("?");
  return q === -1 ? { path: target, query: "" } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

/** Authorization-header signing of one case, checked against header-*.txt. */
export async function checkHeaderSigning(c: AwsCAuthCase): Promise<void> {
  const { context: ctx, request: req } = c;
  const signed = await signRequest({
    method: req.method,
    url: `${origin(req)}${req.target}`,
    headers: req.headers,
    body: req.body,
    region: ctx.region,
    service: ctx.service,
    credentials: contextCredentials(ctx),
    date: new Date(ctx.timestamp),
    contentSha256Header: ctx.sign_body,
    normalizePath: ctx.normalize,
  });
  expect(signed.canonicalRequest).toBe(c.read("header-canonical-request.txt"));
  expect(signed.stringToSign).toBe(c.read("header-string-to-sign.txt"));
  expect(signed.signature).toBe(c.read("header-signature.txt"));

  // The signed request is the original one, untouched, plus the headers signing adds.
  const expected = parseRawRequest(c.read("header-signed-request.txt"));
  expect([expected.method, expected.target, expected.body]).toEqual([req.method, req.target, req.body]);
  const original = new Set(req.headers.map(([name]) => name.toLowerCase()));
  const isOriginal = ([name]: readonly [string, string]) => original.has(name.toLowerCase());
  expect(expected.headers.filter(isOriginal)).toEqual(req.headers);
  const added = Object.entries(signed.headers).filter((h) => !isOriginal(h));
  const token = lateToken(c);
  if (token !== undefined) added.push([TOKEN_HEADER, token]);
  expect(lines(added)).toEqual(lines(expected.headers.filter((h) => !isOriginal(h))));
}

/** Query-string (presigned URL) signing of one case, checked against query-*.txt. */
export async function checkQuerySigning(c: AwsCAuthCase): Promise<void> {
  const { context: ctx, request: req } = c;
  const base = origin(req);
  const presigned = await presignUrl({
    method: req.method,
    url: `${base}${req.target}`,
    headers: Object.fromEntries(headerMap(req.headers)),
    region: ctx.region,
    service: ctx.service,
    credentials: contextCredentials(ctx),
    expiresIn: ctx.expiration_in_seconds,
    date: new Date(ctx.timestamp),
    // The suite hashes the (possibly empty) body; S3 presigned URLs would use UNSIGNED-PAYLOAD.
    payloadHash: await sha256Hex(req.body),
    normalizePath: ctx.normalize,
    // A generic service: no S3 header hoisting, the query carries exactly what the suite signs.
    hoistHeaders: false,
  });
  expect(presigned.canonicalRequest).toBe(c.read("query-canonical-request.txt"));
  expect(presigned.stringToSign).toBe(c.read("query-string-to-sign.txt"));
  expect(presigned.signature).toBe(c.read("query-signature.txt"));

  // Same path and the same query parameters (the suite orders them differently and writes the
  // path unencoded); the request's own headers are sent unchanged.
  const expected = parseRawRequest(c.read("query-signed-request.txt"));
  expect(presigned.url.startsWith(`${base}/`)).toBe(true);
  const ours = splitTarget(presigned.url.slice(base.length));
  const theirs = splitTarget(expected.target);
  expect(decodeURIComponent(ours.path)).toBe(decodeURIComponent(theirs.path));
  const token = lateToken(c);
  const ourQuery = queryLines(ours.query);
  if (token !== undefined) ourQuery.push(`${TOKEN_PARAM}=${token}`);
  expect(ourQuery.sort()).toEqual(queryLines(theirs.query));
  expect(queryLines(ours.query)).toContain(`X-Amz-Signature=${c.read("query-signature.txt")}`);
  expect([expected.method, expected.body]).toEqual([req.method, req.body]);
  expect(expected.headers).toEqual(req.headers);
  const sent = [...headerMap(req.headers)].filter(([name]) => name !== "host");
  expect(lines(Object.entries(presigned.headers))).toEqual(lines(sent));
}
