/**
 * The S3 requests crash tests send, signed with our core signer (Authorization header, real payload
 * hash) and sent with fetch. Each returns once the store's answer is fully read, and throws on any
 * answer but the expected one; a store killed midway makes fetch reject.
 */
import { createHash } from "node:crypto";
import { signRequest } from "../../../src/core/sigv4/sign-request.js";
import { cut, type Version } from "./crash-data.js";

export interface Target {
  url: string;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

const REQUEST_TIMEOUT_MS = 20_000;
const EMPTY = Buffer.alloc(0);

export class UnexpectedAnswer extends Error {}

async function send(
  t: Target,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body: Buffer = EMPTY,
  payloadHash?: string,
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const url = `${t.url}/${t.bucket}${path}`;
  const signed = await signRequest({
    method,
    url,
    headers,
    payloadHash: payloadHash ?? createHash("sha256").update(body).digest("hex"),
    region: t.region,
    credentials: t.credentials,
  });
  const res = await fetch(url, {
    method,
    headers: signed.headers,
    body: body.length > 0 ? body : undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

function expectStatus(what: string, res: { status: number; body: Buffer }, status: number): void {
  if (res.status !== status)
    throw new UnexpectedAnswer(`${what}: HTTP ${res.status} ${res.body.toString("utf8").slice(0, 300)}`);
}

const path = (key: string) => `/${encodeURIComponent(key)}`;

/** PUT with Content-Type, x-amz-checksum-sha256 and the sha256 as metadata. */
export async function putObject(t: Target, v: Version): Promise<void> {
  const headers = {
    "content-type": v.contentType,
    "x-amz-checksum-sha256": v.checksum!,
    "x-amz-meta-sha256": v.sha,
  };
  const res = await send(t, "PUT", path(v.key), headers, v.bytes, v.sha);
  expectStatus(`PUT ${v.key}`, res, 200);
  if (res.headers.get("etag") !== v.etag)
    throw new UnexpectedAnswer(`PUT ${v.key}: ETag ${res.headers.get("etag")}`);
}

/** GET with x-amz-checksum-mode: ENABLED; undefined for 404 NoSuchKey. */
export async function getObject(
  t: Target,
  key: string,
): Promise<{ bytes: Buffer; headers: Headers } | undefined> {
  const res = await send(t, "GET", path(key), { "x-amz-checksum-mode": "ENABLED" });
  if (res.status === 404 && res.body.includes("NoSuchKey")) return undefined;
  expectStatus(`GET ${key}`, res, 200);
  return { bytes: res.body, headers: res.headers };
}

/** POST ?delete for these keys; every key must come back as Deleted. */
export async function deleteObjects(t: Target, keys: string[]): Promise<void> {
  const xml = `<Delete>${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join("")}</Delete>`;
  const body = Buffer.from(xml);
  const md5 = createHash("md5").update(body).digest("base64");
  const res = await send(t, "POST", "?delete", { "content-md5": md5 }, body);
  expectStatus("DeleteObjects", res, 200);
  const text = res.body.toString("utf8");
  const deleted = [...text.matchAll(/<Deleted><Key>([^<]*)<\/Key>/g)].map((m) => m[1]);
  if (text.includes("<Error>") || keys.some((k) => !deleted.includes(k)))
    throw new UnexpectedAnswer(`DeleteObjects: ${text.slice(0, 300)}`);
}

export interface PlannedUpload {
  uploadId: string;
  version: Version;
  /** ETag and size of each part, in order (part numbers from 1). */
  parts: Array<{ etag: string; size: number }>;
}

/** CreateMultipartUpload plus every part of `version` cut at `partSizes`; the upload is left open. */
export async function startUpload(t: Target, version: Version, partSizes: number[]): Promise<PlannedUpload> {
  const created = await send(t, "POST", `${path(version.key)}?uploads`, {
    "content-type": version.contentType,
    "x-amz-meta-sha256": version.sha,
  });
  expectStatus(`CreateMultipartUpload ${version.key}`, created, 200);
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created.body.toString("utf8"))?.[1];
  if (!uploadId) throw new UnexpectedAnswer(`CreateMultipartUpload: ${created.body.toString("utf8")}`);
  const parts: PlannedUpload["parts"] = [];
  for (const [i, bytes] of cut(version.bytes, partSizes).entries()) {
    const query = `?partNumber=${i + 1}&uploadId=${encodeURIComponent(uploadId)}`;
    const res = await send(t, "PUT", `${path(version.key)}${query}`, {}, bytes);
    expectStatus(`UploadPart ${i + 1}`, res, 200);
    parts.push({ etag: res.headers.get("etag")!, size: bytes.length });
  }
  return { uploadId, version, parts };
}

/** CompleteMultipartUpload with every part; the 200's body must be the result, not an error. */
export async function completeUpload(t: Target, upload: PlannedUpload): Promise<void> {
  const xml = `<CompleteMultipartUpload>${upload.parts
    .map((p, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${p.etag}</ETag></Part>`)
    .join("")}</CompleteMultipartUpload>`;
  const query = `?uploadId=${encodeURIComponent(upload.uploadId)}`;
  const res = await send(t, "POST", `${path(upload.version.key)}${query}`, {}, Buffer.from(xml));
  expectStatus(`CompleteMultipartUpload ${upload.version.key}`, res, 200);
  const text = res.body.toString("utf8");
  if (
    !text.includes("<CompleteMultipartUploadResult") ||
    !text.includes(upload.version.etag.replace(/"/g, ""))
  )
    throw new UnexpectedAnswer(`CompleteMultipartUpload: ${text.slice(0, 300)}`);
}
