import { expect } from "vitest";
import { fromBase64, hmacSha256Hex, sha256Hex, toHex } from "../../src/core/sigv4/crypto.js";
import { presignUrl } from "../../src/core/sigv4/presign.js";
import { type SignedRequest, signRequest } from "../../src/core/sigv4/sign-request.js";
import { signingKey } from "../../src/core/sigv4/signing-key.js";
import { amzDateToDate, type S3DocExamples } from "./vectors.js";

/** The example presigned GET's URL as the doc page prints it: canonical query, then the signature. */
export function docPresignedUrl(ex: S3DocExamples): string {
  const g = ex.presignedGet;
  return `${g.url}?${g.canonicalRequest.split("\n")[2]}&X-Amz-Signature=${g.signature}`;
}

export async function checkPresignedGet(ex: S3DocExamples): Promise<void> {
  const g = ex.presignedGet;
  const presigned = await presignUrl({
    method: "GET",
    url: g.url,
    region: g.region,
    credentials: ex.credentials,
    expiresIn: g.expires,
    date: amzDateToDate(g.amzDate),
  });
  expect(presigned.canonicalRequest).toBe(g.canonicalRequest);
  expect(presigned.stringToSign).toBe(g.stringToSign);
  expect(presigned.signature).toBe(g.signature);
  expect(presigned.url).toBe(docPresignedUrl(ex));
  expect(presigned.headers).toEqual({});
}

interface DocRequest {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body: string;
}

/**
 * The requests of the sig-v4-header-based-auth page, which the JSON records only in canonical form.
 * Header names keep the page's casing and order, so sorting and lower-casing are exercised.
 */
export const HEADER_AUTH_REQUESTS: Readonly<Record<string, DocRequest>> = {
  "GET object with Range": {
    method: "GET",
    target: "/test.txt",
    headers: [["Range", "bytes=0-9"]],
    body: "",
  },
  "PUT object (key 'test$file.text', body 'Welcome to Amazon S3.')": {
    method: "PUT",
    target: "/test$file.text",
    headers: [
      ["Date", "Fri, 24 May 2013 00:00:00 GMT"],
      ["x-amz-storage-class", "REDUCED_REDUNDANCY"],
    ],
    body: "Welcome to Amazon S3.",
  },
  "GET ?lifecycle": { method: "GET", target: "/?lifecycle", headers: [], body: "" },
  "GET ?max-keys=2&prefix=J": { method: "GET", target: "/?max-keys=2&prefix=J", headers: [], body: "" },
};

export function headerAuthCase(
  ex: S3DocExamples,
  name: string,
): S3DocExamples["headerAuth"]["cases"][number] {
  const found = ex.headerAuth.cases.find((c) => c.name === name);
  if (!found) throw new Error(`no header-auth example named ${JSON.stringify(name)}`);
  return found;
}

export function signHeaderAuthCase(ex: S3DocExamples, name: string): Promise<SignedRequest> {
  const req = HEADER_AUTH_REQUESTS[name];
  if (!req) throw new Error(`no request described for the header-auth example ${JSON.stringify(name)}`);
  return signRequest({
    method: req.method,
    url: `https://${ex.headerAuth.host}${req.target}`,
    headers: req.headers,
    body: req.body,
    // The JSON gives one region for all the us-east-1 examples, on the presigned one.
    region: ex.presignedGet.region,
    credentials: ex.credentials,
    date: amzDateToDate(ex.headerAuth.amzDate),
  });
}

export async function checkHeaderAuthCase(ex: S3DocExamples, name: string): Promise<void> {
  const expected = headerAuthCase(ex, name);
  const signed = await signHeaderAuthCase(ex, name);
  expect(signed.canonicalRequest).toBe(expected.canonicalRequest);
  const creqHash = await sha256Hex(expected.canonicalRequest);
  if (expected.canonicalRequestSha256 !== undefined) expect(creqHash).toBe(expected.canonicalRequestSha256);
  const scope = `${ex.headerAuth.amzDate.slice(0, 8)}/${ex.presignedGet.region}/s3/aws4_request`;
  expect(signed.stringToSign).toBe(`AWS4-HMAC-SHA256\n${ex.headerAuth.amzDate}\n${scope}\n${creqHash}`);
  expect(signed.signature).toBe(expected.signature);
}

/** Fields named signingKey_<yyyymmdd>_<region>_<service>_hex. */
export function signingKeyExamples(
  ex: S3DocExamples,
): Array<{ field: string; date: string; region: string; service: string; hex: string }> {
  const out = [];
  for (const [field, hex] of Object.entries(ex)) {
    const m = /^signingKey_(\d{8})_([^_]+)_([^_]+)_hex$/.exec(field);
    if (m && typeof hex === "string") out.push({ field, date: m[1]!, region: m[2]!, service: m[3]!, hex });
  }
  return out;
}

export async function checkSigningKeys(ex: S3DocExamples): Promise<void> {
  const examples = signingKeyExamples(ex);
  expect(examples.length).toBeGreaterThan(0);
  for (const k of examples) {
    expect(toHex(await signingKey(ex.credentials.secretAccessKey, k.date, k.region, k.service))).toBe(k.hex);
  }
}

/** The example policy document, decoded (it is JSON with CRLF line ends). */
export function decodePolicy(policyBase64: string): { expiration: string; conditions: unknown[] } {
  const bytes = fromBase64(policyBase64);
  if (!bytes) throw new Error("the example policy is not canonical base64");
  return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
}

/** The scope the policy's own x-amz-credential condition names. */
export function policyScope(ex: S3DocExamples): { date: string; region: string; service: string } {
  const { conditions } = decodePolicy(ex.postPolicy.policyBase64);
  const cred = conditions.find((c): c is { "x-amz-credential": string } => {
    return typeof c === "object" && c !== null && "x-amz-credential" in c;
  });
  if (!cred) throw new Error("the example policy has no x-amz-credential condition");
  const [, date = "", region = "", service = ""] = cred["x-amz-credential"].split("/");
  return { date, region, service };
}

/** The POST policy's signature is the HMAC of the base64 policy itself with the day's signing key. */
export async function checkPostPolicySignature(ex: S3DocExamples): Promise<void> {
  const { date, region, service } = policyScope(ex);
  expect(ex.postPolicy.note).toContain(`key date ${date}`);
  const key = await signingKey(ex.credentials.secretAccessKey, date, region, service);
  expect(await hmacSha256Hex(key, ex.postPolicy.policyBase64)).toBe(ex.postPolicy.signature);
}
