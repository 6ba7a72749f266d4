import { Readable } from "node:stream";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StorageBackend } from "../../../src/store/backend/types.js";
import { createMemoryBackend, createObjectStore, type ObjectStore } from "../../../src/store/index.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION } from "../../support/store-fixture.js";

/** A memory backend whose reads of "broken" fail after the first 64 KiB. */
function failingBackend(): StorageBackend {
  const inner = createMemoryBackend();
  return {
    ...inner,
    async readObject(bucket, key, range) {
      const read = await inner.readObject(bucket, key, range);
      if (!read || key !== "broken") return read;
      async function* failing() {
        let sent = 0;
        for await (const chunk of read!.body as AsyncIterable<Buffer>) {
          if (sent >= 64 * 1024) throw new Error("disk went away");
          sent += chunk.length;
          yield chunk;
        }
      }
      return { meta: read.meta, body: Readable.from(failing()) };
    },
  };
}

describe("a read that fails midway", () => {
  let store: ObjectStore;
  const target = () => ({ url: store.url, region: TEST_REGION, credentials: TEST_CREDENTIALS });

  beforeAll(async () => {
    store = createObjectStore({
      backend: failingBackend(),
      credentials: [{ ...TEST_CREDENTIALS }],
      buckets: [TEST_BUCKET],
    });
    await store.listen(0, "127.0.0.1");
    const put = (Key: string) =>
      signedFetch(target(), "PUT", `/${TEST_BUCKET}/${Key}`, { body: Buffer.alloc(1024 * 1024, 7) });
    expect((await put("broken")).status).toBe(200);
    expect((await put("fine")).status).toBe(200);
  });
  afterAll(async () => {
    await store.close();
  });

  it("cuts the connection instead of ending a short 200", async () => {
    const res = await signedFetch(target(), "GET", `/${TEST_BUCKET}/broken`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(1024 * 1024));
    await expect(res.arrayBuffer()).rejects.toThrow();
  });

  it("keeps serving other requests afterwards", async () => {
    const res = await signedFetch(target(), "GET", `/${TEST_BUCKET}/fine`);
    expect((await res.arrayBuffer()).byteLength).toBe(1024 * 1024);
  });

  it("surfaces as an error in the SDK too", async () => {
    const { S3Client } = await import("@aws-sdk/client-s3");
    const s3 = new S3Client({
      endpoint: store.url,
      forcePathStyle: true,
      region: TEST_REGION,
      credentials: { ...TEST_CREDENTIALS },
      maxAttempts: 1,
    });
    try {
      await s3.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: "other", Body: "x" }));
      const got = await s3.send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: "broken" }));
      await expect(got.Body!.transformToByteArray()).rejects.toThrow();
    } finally {
      s3.destroy();
    }
  });
});
