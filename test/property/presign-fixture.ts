import fc from "fast-check";
import { type PresignedRequest, presignUrl } from "../../src/core/sigv4/presign.js";
import {
  type VerifyOptions,
  type VerifyRequestInput,
  type VerifyResult,
  verifyPresignedUrl,
} from "../../src/core/sigv4/verify.js";
import { type PresignInput, presignInputArbs, type TestCredentials } from "../support/sigv4-arbitraries.js";

export interface PresignSpec extends PresignInput {
  /** Where "now" falls: from 15 minutes before X-Amz-Date to the expiry, as a fraction. */
  nowAt: number;
  /** Send header names upper-cased: names are case-insensitive. */
  shout: boolean;
}

export const presignSpecArb: fc.Arbitrary<PresignSpec> = fc.record({
  ...presignInputArbs,
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

/** What a tamper test changes in a signed request before verifying it; the rest is sent as signed. */
export interface RequestChange {
  method?: string;
  url?: string;
  headers?: Array<[string, string]>;
  options?: Partial<VerifyOptions>;
}

type Verifier = (request: VerifyRequestInput, options: VerifyOptions) => Promise<VerifyResult>;

/** Runs `verifier` on the signed request with `change` applied (header and query suites share it). */
export function verifyChanged(
  verifier: Verifier,
  sent: VerifyRequestInput & { options: VerifyOptions },
  change: RequestChange,
): Promise<VerifyResult> {
  return verifier(
    {
      method: change.method ?? sent.method,
      url: change.url ?? sent.url,
      headers: change.headers ?? sent.headers,
    },
    { ...sent.options, ...change.options },
  );
}

export function verify(p: Presigned, change: RequestChange = {}): Promise<VerifyResult> {
  return verifyChanged(verifyPresignedUrl, p, change);
}
