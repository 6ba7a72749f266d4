import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { createFsBackend } from "../../src/store/backend/fs/backend.js";
import type { StorageBackend } from "../../src/store/backend/types.js";
import { createMemoryBackend, createObjectStore, type ObjectStore } from "../../src/store/index.js";
import type { ObjectStoreOptions } from "../../src/store/options.js";

export const TEST_CREDENTIALS = {
  accessKeyId: "AKIDUPGATETEST000001",
  secretAccessKey: "upgate-test-secret-key/0123456789abcdefABCD",
} as const;
export const TEST_REGION = "us-east-1";
export const TEST_BUCKET = "test-bucket";

export interface StoreFixture {
  store: ObjectStore;
  /** http://127.0.0.1:<port> */
  url: string;
  /** An `@aws-sdk/client-s3` client for the store (path-style, no retries). */
  s3: S3Client;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  /** A bucket created at start. */
  bucket: string;
  close(): Promise<void>;
}

export interface StoreFixtureOptions {
  /** "memory" (default) or "fs" (a fresh temporary directory, removed on close). */
  backend?: "memory" | "fs";
  /** Extra store options (region, cors, now, ...). */
  options?: Partial<ObjectStoreOptions>;
}

/** Starts a store on 127.0.0.1, port 0, with one bucket and an SDK client pointed at it. */
export async function startStore(fixture: StoreFixtureOptions = {}): Promise<StoreFixture> {
  let dataDir: string | undefined;
  let backend: StorageBackend;
  if (fixture.backend === "fs") {
    dataDir = await mkdtemp(join(tmpdir(), "upgate-store-"));
    backend = createFsBackend({ dataDir, durability: "none" });
  } else {
    backend = createMemoryBackend();
  }
  const region = fixture.options?.region ?? TEST_REGION;
  const store = createObjectStore({
    backend,
    credentials: [{ ...TEST_CREDENTIALS }],
    buckets: [TEST_BUCKET],
    ...fixture.options,
    region,
  });
  await store.listen(0, "127.0.0.1");
  const s3 = new S3Client({
    endpoint: store.url,
    forcePathStyle: true,
    region,
    credentials: { ...TEST_CREDENTIALS },
    maxAttempts: 1,
  });
  return {
    store,
    url: store.url,
    s3,
    credentials: { ...TEST_CREDENTIALS },
    region,
    bucket: TEST_BUCKET,
    async close() {
      s3.destroy();
      await store.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
