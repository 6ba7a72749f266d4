/**
 * The four presigners compared by sign.bench.ts, each turned into `(key) => URL` for the upload
 * described in sign-inputs.ts, plus the crypto floor (the hashing every SigV4 signer must do).
 */
import { createHash, createHmac } from "node:crypto";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import aws4 from "aws4";
import { hmacSha256Hex, sha256Hex } from "../src/core/sigv4/crypto.js";
import { type PresignInput, presignUrl } from "../src/core/sigv4/presign.js";
import {
  BUCKET,
  CHECKSUM_SHA256,
  CONTENT_LENGTH,
  CONTENT_TYPE,
  CREDENTIALS,
  DATE,
  ENDPOINT,
  EXPIRES_IN,
  HOST,
  REGION,
  SIGNED_HEADERS,
  USER,
} from "./sign-inputs.js";

export type Presigner = (key: string) => Promise<string> | string;

// The SDK warns once that its future releases need Node 22; that is noise in a benchmark table.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const AMZ_DATE = "20250601T120000Z";

/** upgate: `presignUrl`, hoisting x-amz-meta-* into the signed query as it does by default. */
export function oursInput(key: string): PresignInput {
  return {
    method: "PUT",
    endpoint: ENDPOINT,
    bucket: BUCKET,
    key,
    forcePathStyle: true,
    region: REGION,
    credentials: CREDENTIALS,
    expiresIn: EXPIRES_IN,
    date: DATE,
    headers: SIGNED_HEADERS,
  };
}
export const ours: Presigner = async (key) => (await presignUrl(oursInput(key))).url;

/**
 * `@aws-sdk/s3-request-presigner` as upgate would have to configure it: only the checksums it is
 * asked for, content-type made signable (the presigner unsigns it by default), and the checksum kept
 * a header (S3 ignores it in the query).
 */
const client = new S3Client({
  region: REGION,
  endpoint: ENDPOINT,
  forcePathStyle: true,
  credentials: CREDENTIALS,
  requestChecksumCalculation: "WHEN_REQUIRED",
});
const sdkOptions = {
  expiresIn: EXPIRES_IN,
  signingDate: DATE,
  signableHeaders: new Set(["content-type"]),
  unhoistableHeaders: new Set(["x-amz-checksum-sha256"]),
};
export const sdk: Presigner = (key) =>
  getSignedUrl(
    client,
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: key,
      ContentType: CONTENT_TYPE,
      ContentLength: CONTENT_LENGTH,
      ChecksumSHA256: CHECKSUM_SHA256,
      IfNoneMatch: "*",
      Metadata: { "upgate-user": USER },
    }),
    sdkOptions,
  );

/**
 * `@smithy/signature-v4` on its own, with the SHA-256 class the SDK uses on Node (node:crypto).
 * x-amz-content-sha256 only tells it the payload is UNSIGNED-PAYLOAD: it is neither hoisted nor
 * signed, so the URL carries exactly what upgate's does. x-amz-meta-* is hoisted, as by upgate.
 */
const signer = new SignatureV4({
  service: "s3",
  region: REGION,
  credentials: CREDENTIALS,
  sha256: Sha256,
  uriEscapePath: false,
  applyChecksum: false,
});
const smithyOptions = {
  signingDate: DATE,
  expiresIn: EXPIRES_IN,
  unhoistableHeaders: new Set(["x-amz-checksum-sha256", "x-amz-content-sha256"]),
  unsignableHeaders: new Set(["x-amz-content-sha256"]),
};
export const smithy: Presigner = async (key) => {
  const signed = await signer.presign(
    new HttpRequest({
      method: "PUT",
      protocol: "https:",
      hostname: HOST,
      path: `/${BUCKET}/${key}`,
      headers: { host: HOST, ...SIGNED_HEADERS, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
    }),
    smithyOptions,
  );
  return formatUrl(`https://${HOST}${signed.path}`, signed.query as Record<string, string>);
};

/** `aws4.sign` with signQuery: every header stays a signed header (aws4 hoists nothing). */
export const aws4Presigner: Presigner = (key) => {
  const request = {
    host: HOST,
    method: "PUT",
    path: `/${BUCKET}/${key}?X-Amz-Expires=${EXPIRES_IN}&X-Amz-Date=${AMZ_DATE}`,
    service: "s3",
    region: REGION,
    signQuery: true,
    headers: { ...SIGNED_HEADERS },
  };
  aws4.sign(request, CREDENTIALS);
  return `https://${HOST}${request.path}`;
};

/** The query in canonical order with X-Amz-Signature last: the form upgate's URLs take. */
export function formatUrl(base: string, query: Record<string, string>): string {
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const names = Object.keys(query)
    .filter((n) => n !== "X-Amz-Signature")
    .map(enc)
    .sort();
  const byEncoded = new Map(Object.entries(query).map(([k, v]) => [enc(k), v]));
  let out = `${base}?`;
  for (const n of names) out += `${n}=${enc(byEncoded.get(n)!)}&`;
  return `${out}X-Amz-Signature=${query["X-Amz-Signature"]}`;
}

/**
 * The crypto floor: one SHA-256 of the canonical request (the real one: the bench checks that its
 * signature equals upgate's) and one HMAC-SHA-256 of the string to sign with a precomputed signing
 * key. Two variants: node:crypto's createHash + createHmac, as aws4 uses, and upgate's own seam
 * (sha256Hex, a one-shot crypto.hash; hmacSha256Hex, HMAC from two one-shot hashes).
 */
const signingKey = ["20250601", REGION, "s3", "aws4_request"].reduce<Buffer>(
  (k, part) => createHmac("sha256", k).update(part).digest(),
  Buffer.from(`AWS4${CREDENTIALS.secretAccessKey}`),
);
const SCOPE = `20250601/${REGION}/s3/aws4_request`;
const canonicalRequest = (key: string) =>
  `PUT\n/${BUCKET}/${key}\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${CREDENTIALS.accessKeyId}%2F20250601%2F${REGION}%2Fs3%2Faws4_request&X-Amz-Date=${AMZ_DATE}&X-Amz-Expires=${EXPIRES_IN}&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3Bif-none-match%3Bx-amz-checksum-sha256&x-amz-meta-upgate-user=${USER}\ncontent-length:${CONTENT_LENGTH}\ncontent-type:${CONTENT_TYPE}\nhost:${HOST}\nif-none-match:*\nx-amz-checksum-sha256:${CHECKSUM_SHA256}\n\ncontent-length;content-type;host;if-none-match;x-amz-checksum-sha256\nUNSIGNED-PAYLOAD`;

export const cryptoFloor: Presigner = (key) => {
  const hash = createHash("sha256").update(canonicalRequest(key)).digest("hex");
  return createHmac("sha256", signingKey)
    .update(`AWS4-HMAC-SHA256\n${AMZ_DATE}\n${SCOPE}\n${hash}`)
    .digest("hex");
};

export const seamFloor: Presigner = (key) => {
  const hash = sha256Hex(canonicalRequest(key)) as string;
  return hmacSha256Hex(signingKey, `AWS4-HMAC-SHA256\n${AMZ_DATE}\n${SCOPE}\n${hash}`) as string;
};
