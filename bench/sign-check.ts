/**
 * Checks that the presigners agree wherever their inputs are comparable, and that every URL they
 * make passes upgate's own verifier when sent with the headers it signed.
 */
import { presignUrl } from "../src/core/sigv4/presign.js";
import { verifyPresignedUrl } from "../src/core/sigv4/verify.js";
import { aws4Presigner, formatUrl, oursInput, sdk, smithy } from "./sign-impls.js";
import { CREDENTIALS, DATE, HOST, REGION, SIGNED_HEADERS } from "./sign-inputs.js";

export interface PairResult {
  pair: string;
  /** How the two were made comparable. */
  how: string;
  /** Both URLs are the same bytes once the query is put in canonical order (X-Amz-Signature last). */
  identical: number;
  sameSignature: number;
  total: number;
  firstMismatch?: { a: string; b: string };
}

/** Any presigned URL with its query in canonical order and X-Amz-Signature last. */
export function canonicalUrl(url: string): string {
  const u = new URL(url);
  const query: Record<string, string> = {};
  for (const [k, v] of u.searchParams) query[k] = v;
  return formatUrl(`${u.origin}${u.pathname}`, query);
}

const signatureOf = (url: string) => new URL(url).searchParams.get("X-Amz-Signature");

async function comparePair(
  pair: string,
  how: string,
  keys: readonly string[],
  a: (key: string) => Promise<string>,
  b: (key: string) => Promise<string> | string,
): Promise<PairResult> {
  const result: PairResult = { pair, how, identical: 0, sameSignature: 0, total: keys.length };
  for (const key of keys) {
    const [ua, ub] = [await a(key), await b(key)];
    if (ua === canonicalUrl(ub)) result.identical++;
    if (signatureOf(ua) === signatureOf(ub)) result.sameSignature++;
    else result.firstMismatch ??= { a: ua, b: ub };
  }
  return result;
}

export function comparePairs(keys: readonly string[]): Promise<PairResult[]> {
  const oursWith = (extra: Partial<ReturnType<typeof oursInput>>) => async (key: string) =>
    (await presignUrl({ ...oursInput(key), ...extra })).url;
  return Promise.all([
    comparePair(
      "ours vs @smithy/signature-v4",
      "same inputs as timed: 5 signed headers + host, x-amz-meta-* hoisted, UNSIGNED-PAYLOAD",
      keys,
      oursWith({}),
      smithy,
    ),
    comparePair(
      "ours vs @aws-sdk/s3-request-presigner",
      "ours also given the SDK's extra query params x-id=PutObject and X-Amz-Content-Sha256=UNSIGNED-PAYLOAD",
      keys,
      oursWith({ query: { "x-id": "PutObject", "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" } }),
      sdk,
    ),
    comparePair(
      "ours vs aws4",
      "ours with hoistHeaders: false (aws4 signs x-amz-meta-* as a header)",
      keys,
      oursWith({ hoistHeaders: false }),
      aws4Presigner,
    ),
  ]);
}

/** Every implementation's URL, sent with exactly the headers it signed, passes verifyPresignedUrl. */
export async function verifyAll(
  key: string,
  presigners: Record<string, (key: string) => Promise<string> | string>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, presign] of Object.entries(presigners)) {
    const url = await presign(key);
    const signed = new URL(url).searchParams.get("X-Amz-SignedHeaders")?.split(";") ?? [];
    const all: Record<string, string> = { host: HOST, ...SIGNED_HEADERS };
    const headers = signed.map((h) => [h, all[h] ?? ""] as [string, string]);
    const res = await verifyPresignedUrl(
      { method: "PUT", url, headers },
      { region: REGION, lookupSecret: () => CREDENTIALS.secretAccessKey, now: DATE },
    );
    out[name] = res.ok ? "ok" : `${res.error.code}: ${res.error.message}`;
  }
  return out;
}
