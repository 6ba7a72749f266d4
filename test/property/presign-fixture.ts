import fc from "fast-check";
import { type PresignedRequest, presignUrl } from "../../src/core/sigv4/presign.js";
import { type VerifyOptions, type VerifyResult, verifyPresignedUrl } from "../../src/core/sigv4/verify.js";
import {
  bucketArb,
  credentialsArb,
  dateArb,
  endpointArb,
  expiresArb,
  extraQueryArb,
  keyArb,
  methodArb,
  regionArb,
  signedHeadersArb,
  type TestCredentials,
} from "../support/sigv4-arbitraries.js";

export interface PresignSpec {
  method: string;
  endpoint: string;
  forcePathStyle: boolean;
  bucket: string;
  key: string;
  region: string;
  credentials: TestCredentials;
  expiresIn: number;
  date: Date;
  headers: Array<[string, string]>;
  query: Array<[string, string]>;
  /** Where "now" falls: from 15 minutes before X-Amz-Date to the expiry, as a fraction. */
  nowAt: number;
  /** Send header names upper-cased: names are case-insensitive. */
  shout: boolean;
}

export const presignSpecArb: fc.Arbitrary<PresignSpec> = fc.record({
  method: methodArb,
  endpoint: endpointArb,
  forcePathStyle: fc.boolean(),
  bucket: bucketArb,
  key: keyArb,
  region: regionArb,
  credentials: credentialsArb,
  expiresIn: expiresArb,
  date: dateArb,
  headers: signedHeadersArb,
  query: extraQueryArb,
  nowAt: fc.double({ min: 0, max: 1, noNaN: true }),
  shout: fc.boolean(),
});

/** A presigned URL and the request a well-behaved client makes with it. */
export interface Presigned {
  spec: PresignSpec;
  signed: PresignedRequest;
  method: string;
  url: string;
  /** Raw header pairs as Node's rawHeaders would give them: host first, then what the signer said to send. */
  headers: Array<[string, string]>;
  now: Date;
  options: VerifyOptions;
}

export const SKEW_MS = 15 * 60 * 1000;

export function lookupFor(credentials: TestCredentials): VerifyOptions["lookupSecret"] {
  return (id) =>
    id === credentials.accessKeyId
      ? { secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken }
      : undefined;
}

export async function presign(spec: PresignSpec): Promise<Presigned> {
  const signed = await presignUrl({
    method: spec.method,
    endpoint: spec.endpoint,
    forcePathStyle: spec.forcePathStyle,
    bucket: spec.bucket,
    key: spec.key,
    region: spec.region,
    credentials: spec.credentials,
    expiresIn: spec.expiresIn,
    date: spec.date,
    headers: Object.fromEntries(spec.headers),
    query: Object.fromEntries(spec.query),
  });
  const host = new URL(signed.url).host;
  const name = (n: string) => (spec.shout ? n.toUpperCase() : n);
  const headers: Array<[string, string]> = [
    [name("host"), host],
    ...Object.entries(signed.headers).map(([n, v]): [string, string] => [name(n), v]),
  ];
  const span = SKEW_MS + spec.expiresIn * 1000;
  const now = new Date(spec.date.getTime() - SKEW_MS + Math.floor(spec.nowAt * span));
  const options = { region: spec.region, lookupSecret: lookupFor(spec.credentials), now };
  return { spec, signed, method: spec.method, url: signed.url, headers, now, options };
}

export function verify(
  p: Presigned,
  change: {
    method?: string;
    url?: string;
    headers?: Array<[string, string]>;
    options?: Partial<VerifyOptions>;
  } = {},
): Promise<VerifyResult> {
  return verifyPresignedUrl(
    { method: change.method ?? p.method, url: change.url ?? p.url, headers: change.headers ?? p.headers },
    { ...p.options, ...change.options },
  );
}
