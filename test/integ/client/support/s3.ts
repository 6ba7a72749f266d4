/**
 * The few S3 calls the fake gateway makes, as core's request builders signed with core's signer
 * (Authorization header, real body hash) and sent with fetch.
 */
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  deleteObject,
  getObject,
  headObject,
  listParts,
  type S3Request,
} from "../../../../src/core/s3/requests.js";
import { requestUrl } from "../../../../src/core/s3/requests-url.js";
import { signRequest } from "../../../../src/core/sigv4/sign-request.js";
import type { StoreFixture } from "../../../support/store-fixture.js";

export async function send(store: StoreFixture, req: S3Request): Promise<Response> {
  const url = requestUrl({ endpoint: store.url, forcePathStyle: true }, req);
  const body = req.body ?? "";
  const signed = await signRequest({
    method: req.method,
    url,
    headers: req.headers,
    body,
    region: store.region,
    credentials: store.credentials,
  });
  return fetch(url, { method: req.method, headers: signed.headers, ...(req.body ? { body } : {}) });
}

async function ok(res: Response, what: string): Promise<string> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text}`);
  return text;
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

export async function createMultipart(store: StoreFixture, key: string, type: string): Promise<string> {
  const xml = await ok(
    await send(store, createMultipartUpload(store.bucket, key, { "content-type": type })),
    "CreateMultipartUpload",
  );
  return tag(xml, "UploadId")!;
}

export interface StoredPart {
  partNumber: number;
  size: number;
  etag: string;
  /** ChecksumSHA256, when the part was stored with one. */
  sha256?: string;
  /** ChecksumCRC64NVME / ChecksumCRC32C, when the part was stored with one. */
  crc64nvme?: string;
  crc32c?: string;
}

export async function listStoredParts(
  store: StoreFixture,
  key: string,
  uploadId: string,
): Promise<StoredPart[]> {
  const res = await send(store, listParts(store.bucket, key, uploadId));
  if (res.status === 404) return [];
  const xml = await ok(res, "ListParts");
  return [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => {
    const sha256 = tag(m[1]!, "ChecksumSHA256");
    const crc64nvme = tag(m[1]!, "ChecksumCRC64NVME");
    const crc32c = tag(m[1]!, "ChecksumCRC32C");
    return {
      partNumber: Number(tag(m[1]!, "PartNumber")),
      size: Number(tag(m[1]!, "Size")),
      etag: tag(m[1]!, "ETag")!.replaceAll("&quot;", '"'),
      ...(sha256 ? { sha256 } : {}),
      ...(crc64nvme ? { crc64nvme } : {}),
      ...(crc32c ? { crc32c } : {}),
    };
  });
}

export async function completeMultipart(
  store: StoreFixture,
  key: string,
  uploadId: string,
  parts: Array<{ partNumber: number; etag: string }>,
): Promise<void> {
  await ok(await send(store, completeMultipartUpload(store.bucket, key, uploadId, parts)), "Complete");
}

export async function abortMultipart(store: StoreFixture, key: string, uploadId: string): Promise<void> {
  await send(store, abortMultipartUpload(store.bucket, key, uploadId));
}

export async function headSize(store: StoreFixture, key: string): Promise<number | undefined> {
  const res = await send(store, headObject(store.bucket, key));
  return res.ok ? Number(res.headers.get("content-length")) : undefined;
}

export async function getBytes(store: StoreFixture, key: string): Promise<Uint8Array | undefined> {
  const res = await send(store, getObject(store.bucket, key));
  return res.ok ? new Uint8Array(await res.arrayBuffer()) : undefined;
}

export async function removeObject(store: StoreFixture, key: string): Promise<void> {
  await send(store, deleteObject(store.bucket, key));
}
