import { createHash } from "node:crypto";
import { createStorageClient } from "../../../src/server/s3/s3-client.js";
import type { StorageClient } from "../../../src/server/s3/types.js";
import type { KeyedStorageConfig } from "../../support/keyed-storage.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

/** A 1x1 greyscale PNG with valid chunk CRCs (file-type recognises it). */
export const PNG_1X1 = Uint8Array.from([
  137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 4, 0, 0, 0, 181,
  28, 12, 2, 0, 0, 0, 11, 73, 68, 65, 84, 120, 218, 99, 100, 96, 0, 0, 0, 6, 0, 2, 48, 129, 208, 47, 0, 0, 0,
  0, 73, 69, 78, 68, 174, 66, 96, 130,
]);

export const sha256b64 = (data: Uint8Array | string): string =>
  createHash("sha256").update(data).digest("base64");

export function storageConfig(
  f: StoreFixture,
  overrides: Partial<KeyedStorageConfig> = {},
): KeyedStorageConfig {
  return {
    endpoint: f.url,
    region: f.region,
    bucket: f.bucket,
    credentials: { ...f.credentials },
    forcePathStyle: true,
    ...overrides,
  };
}

export interface StorageFixture {
  f: StoreFixture;
  config: KeyedStorageConfig;
  client: StorageClient;
  close(): Promise<void>;
}

export async function startStorage(): Promise<StorageFixture> {
  const f = await startStore();
  const config = storageConfig(f);
  return { f, config, client: createStorageClient(config), close: () => f.close() };
}

/** Uploads `body` through a presigned PUT that signs `headers` (content-length added), as a browser would. */
export async function putViaUrl(
  client: StorageClient,
  key: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Promise<Response> {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const signed = await client.presignPut(key, { ...headers, "content-length": String(bytes.length) }, 60);
  return fetch(signed.url, { method: "PUT", headers: signed.headers, body: bytes });
}

/** Expects `call` to reject with a StorageError and returns its code and status. */
export async function storageFailure(
  call: Promise<unknown>,
): Promise<{ code: string; status: number; message: string }> {
  try {
    await call;
  } catch (err) {
    const e = err as { name?: string; code?: string; status?: number; message: string };
    if (e.name !== "StorageError") throw err;
    return { code: e.code!, status: e.status!, message: e.message };
  }
  throw new Error("expected a StorageError, but the call succeeded");
}
