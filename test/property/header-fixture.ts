import { createHash } from "node:crypto";
import fc from "fast-check";
import { type SignedRequest, signRequest } from "../../src/core/sigv4/sign-request.js";
import {
  type VerifyOptions,
  type VerifyResult,
  verifyAuthorizationHeader,
} from "../../src/core/sigv4/verify.js";
import { rfc3986, rfc3986Path } from "../support/rfc3986.js";
import {
  credentialsArb,
  dateArb,
  dnsBucketArb,
  endpointArb,
  extraQueryArb,
  keyArb,
  methodArb,
  type PresignInput,
  regionArb,
  signedHeadersArb,
} from "../support/sigv4-arbitraries.js";
import { lookupFor, type RequestChange, SKEW_MS, verifyChanged } from "./presign-fixture.js";

/** The same request inputs as a presign, less its expiry and path-style choice (always path style here). */
export interface HeaderSpec extends Omit<PresignInput, "forcePathStyle" | "expiresIn"> {
  /** A body to hash into x-amz-content-sha256, or a payload mode sent as is. */
  body: Uint8Array | "UNSIGNED-PAYLOAD";
  /** Where "now" falls within ±15 minutes of x-amz-date, as a fraction. */
  nowAt: number;
}

export const headerSpecArb: fc.Arbitrary<HeaderSpec> = fc.record({
  method: methodArb,
  endpoint: endpointArb,
  bucket: dnsBucketArb,
  key: keyArb,
  query: extraQueryArb,
  headers: signedHeadersArb,
  body: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constant("UNSIGNED-PAYLOAD" as const)),
  region: regionArb,
  credentials: credentialsArb,
  date: dateArb,
  nowAt: fc.double({ min: 0, max: 1, noNaN: true }),
});

export interface HeaderSigned {
  spec: HeaderSpec;
  signed: SignedRequest;
  method: string;
  url: string;
  headers: Array<[string, string]>;
  /** The independent hash of the body (node:crypto) or the payload mode. */
  payloadHash: string;
  options: VerifyOptions;
}

/** Path-style URL, encoded with the test's own encoder. */
export function urlOf(spec: Pick<HeaderSpec, "endpoint" | "bucket" | "key" | "query">): string {
  const base = spec.endpoint.replace(/\/+$/, "");
  const query = spec.query.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join("&");
  return `${base}/${spec.bucket}/${rfc3986Path(spec.key)}${query ? `?${query}` : ""}`;
}

export async function signHeaders(spec: HeaderSpec): Promise<HeaderSigned> {
  const url = urlOf(spec);
  const payloadHash =
    spec.body === "UNSIGNED-PAYLOAD" ? spec.body : createHash("sha256").update(spec.body).digest("hex");
  const signed = await signRequest({
    method: spec.method,
    url,
    headers: spec.headers,
    ...(spec.body === "UNSIGNED-PAYLOAD" ? { payloadHash: spec.body } : { body: spec.body }),
    region: spec.region,
    credentials: spec.credentials,
    date: spec.date,
  });
  const headers: Array<[string, string]> = [["Host", new URL(url).host], ...Object.entries(signed.headers)];
  const now = new Date(spec.date.getTime() - SKEW_MS + Math.floor(spec.nowAt * 2 * SKEW_MS));
  const options = { region: spec.region, lookupSecret: lookupFor(spec.credentials), now };
  return { spec, signed, method: spec.method, url, headers, payloadHash, options };
}

export function verifyHeaders(s: HeaderSigned, change: RequestChange = {}): Promise<VerifyResult> {
  return verifyChanged(verifyAuthorizationHeader, s, change);
}

/** The sent headers with one value replaced. */
export function withHeader(
  s: HeaderSigned,
  name: string,
  value: string | undefined,
): Array<[string, string]> {
  const rest = s.headers.filter(([n]) => n.toLowerCase() !== name);
  return value === undefined ? rest : [...rest, [name, value]];
}
