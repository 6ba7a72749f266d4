import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { afterEach, beforeEach, expect } from "vitest";
import type {
  CommitRefusal,
  MultipartUpload,
  ObjectAttributes,
  ObjectMeta,
  PartInfo,
  StorageBackend,
  WriteConditions,
} from "../../src/store/backend/types.js";

export type BackendFactory = () => Promise<{ backend: StorageBackend; dispose(): Promise<void> }>;

/** The backend under test: a fresh, initialized one per test. */
export interface Harness {
  readonly backend: StorageBackend;
}

export function useBackend(factory: BackendFactory): Harness {
  let current: Awaited<ReturnType<BackendFactory>> | undefined;
  beforeEach(async () => {
    current = await factory();
    await current.backend.init();
  });
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });
  return {
    get backend() {
      if (!current) throw new Error("no backend outside a test");
      return current.backend;
    },
  };
}

export const BUCKET = "contract-bucket";

export const md5Etag = (body: Uint8Array): string => `"${createHash("md5").update(body).digest("hex")}"`;

export const sha256 = (body: Uint8Array): string => createHash("sha256").update(body).digest("hex");

export function attributesFor(body: Uint8Array, overrides: Partial<ObjectAttributes> = {}): ObjectAttributes {
  return {
    etag: md5Etag(body),
    contentType: "application/octet-stream",
    metadata: {},
    checksums: {},
    headers: {},
    ...overrides,
  };
}

/** Bytes that differ at every offset, so a misplaced range shows. */
export function patternBytes(size: number, seed = 0): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return bytes;
}

/** Writes `body` in chunks of `chunkSize` and commits it; returns what commit returned. */
export async function putObject(
  backend: StorageBackend,
  key: string,
  body: Uint8Array | string,
  options: {
    attributes?: Partial<ObjectAttributes>;
    conditions?: WriteConditions;
    chunkSize?: number;
    bucket?: string;
  } = {},
): Promise<ObjectMeta | CommitRefusal> {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  const staged = await backend.stageObject(options.bucket ?? BUCKET, key);
  if (!staged) throw new Error(`no bucket ${options.bucket ?? BUCKET}`);
  const chunkSize = options.chunkSize ?? 64 * 1024;
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    await staged.write(bytes.subarray(offset, offset + chunkSize));
  }
  expect(staged.size).toBe(bytes.length);
  return staged.commit(attributesFor(bytes, options.attributes), options.conditions);
}

/** Like putObject, but the commit must succeed. */
export async function putCommitted(
  backend: StorageBackend,
  key: string,
  body: Uint8Array | string,
  options: Parameters<typeof putObject>[3] = {},
): Promise<ObjectMeta> {
  const result = await putObject(backend, key, body, options);
  if (typeof result === "string") throw new Error(`commit of ${key} refused: ${result}`);
  return result;
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export async function readBody(
  backend: StorageBackend,
  key: string,
  bucket = BUCKET,
): Promise<Buffer | undefined> {
  const result = await backend.readObject(bucket, key);
  return result ? readAll(result.body) : undefined;
}

/** Every key in the bucket, paging through listObjects `limit` at a time. */
export async function listAllKeys(backend: StorageBackend, prefix?: string, limit = 1000): Promise<string[]> {
  const keys: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await backend.listObjects(BUCKET, { prefix, after, limit });
    keys.push(...page.objects.map((object) => object.key));
    if (!page.truncated) return keys;
    after = page.objects.at(-1)?.key;
    if (after === undefined) throw new Error("a truncated page with no objects");
  }
}

/** S3's listing order: UTF-8 bytes, compared as unsigned bytes. */
export const byUtf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Stages `body` as part `partNumber` in 100 kB writes and commits it with its md5 ETag and SHA-256. */
export async function uploadPart(
  backend: StorageBackend,
  upload: MultipartUpload,
  partNumber: number,
  body: Buffer,
) {
  const part = await backend.stagePart(upload, partNumber);
  for (let offset = 0; offset < body.length; offset += 100_000)
    await part.write(body.subarray(offset, offset + 100_000));
  expect(part.size).toBe(body.length);
  return part.commit({
    etag: md5Etag(body),
    checksums: { sha256: createHash("sha256").update(body).digest("base64") },
  });
}

/** The CompleteMultipartUpload plan naming these parts. */
export const plan = (parts: PartInfo[]) => parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
