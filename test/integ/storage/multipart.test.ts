import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBucketCors, putBucketCors } from "../../../src/server/s3/bucket-cors.js";
import { createS3Transport } from "../../../src/server/s3/transport.js";
import type { StorageClient } from "../../../src/server/s3/types.js";
import { type StorageFixture, startStorage, storageFailure } from "./support.js";

const MIB = 1024 * 1024;

async function uploadPart(client: StorageClient, key: string, uploadId: string, n: number, body: Uint8Array) {
  const signed = await client.presignPart(key, uploadId, n, { "content-length": String(body.length) }, 60);
  const res = await fetch(signed.url, { method: "PUT", headers: signed.headers, body });
  expect(res.status).toBe(200);
  return res.headers.get("etag")!;
}

describe("StorageClient multipart operations against the store", () => {
  let s: StorageFixture;
  beforeAll(async () => {
    s = await startStorage();
  });
  afterAll(async () => {
    await s.close();
  });

  it("create, presigned parts, listParts, complete with If-None-Match, then head", async () => {
    const key = "videos/user-1/movie.mp4";
    const uploadId = await s.client.createMultipart(key, {
      "content-type": "video/mp4",
      "x-amz-meta-upgate-user": "user-1",
      "x-amz-meta-upgate-upload": "up-9",
    });
    expect(uploadId).toMatch(/\S/);
    const one = new Uint8Array(5 * MIB).fill(1);
    const two = new TextEncoder().encode("the last part");
    const etags = [
      await uploadPart(s.client, key, uploadId, 1, one),
      await uploadPart(s.client, key, uploadId, 2, two),
    ];

    const parts = await s.client.listParts(key, uploadId);
    expect(parts).toEqual([
      { partNumber: 1, size: one.length, etag: etags[0] },
      { partNumber: 2, size: two.length, etag: etags[1] },
    ]);
    expect(parts.reduce((sum, p) => sum + p.size, 0)).toBe(5 * MIB + two.length);
    expect((await s.client.listMultipartUploads("videos/")).map((u) => [u.key, u.uploadId])).toEqual([
      [key, uploadId],
    ]);

    // Parts given out of order and unquoted: the builder sorts and quotes them.
    const done = await s.client.completeMultipart(
      key,
      uploadId,
      [
        { partNumber: 2, etag: etags[1]!.replaceAll('"', "") },
        { partNumber: 1, etag: etags[0]! },
      ],
      { ifNoneMatch: true },
    );
    expect(done.etag).toMatch(/^"[0-9a-f]{32}-2"$/);
    const head = await s.client.head(key);
    expect(head).toMatchObject({
      size: 5 * MIB + two.length,
      contentType: "video/mp4",
      etag: done.etag,
      metadata: { "upgate-user": "user-1", "upgate-upload": "up-9" },
    });
    const whole = await new Response(await s.client.getStream(key)).arrayBuffer();
    const expected = createHash("sha256").update(one).update(two).digest("hex");
    expect(createHash("sha256").update(new Uint8Array(whole)).digest("hex")).toBe(expected);
    expect(await s.client.listMultipartUploads("videos/")).toEqual([]);
  });

  it("completing onto an existing key with If-None-Match is 412, and the upload survives", async () => {
    const key = "videos/user-1/movie.mp4";
    const uploadId = await s.client.createMultipart(key, { "content-type": "video/mp4" });
    const etag = await uploadPart(s.client, key, uploadId, 1, new TextEncoder().encode("overwrite attempt"));
    const refused = await storageFailure(
      s.client.completeMultipart(key, uploadId, [{ partNumber: 1, etag }], { ifNoneMatch: true }),
    );
    expect(refused).toMatchObject({ code: "PreconditionFailed", status: 412 });
    expect((await s.client.head(key))!.size).toBeGreaterThan(5 * MIB);
    await s.client.abortMultipart(key, uploadId);
  });

  it("abort ends an upload; unknown uploads are NoSuchUpload; a bad part list is InvalidPart", async () => {
    const key = "videos/user-2/abandoned.bin";
    const uploadId = await s.client.createMultipart(key, {});
    const etag = await uploadPart(s.client, key, uploadId, 1, new Uint8Array(10));
    const bad = await storageFailure(
      s.client.completeMultipart(key, uploadId, [{ partNumber: 1, etag: `"${"0".repeat(32)}"` }]),
    );
    expect(bad).toMatchObject({ code: "InvalidPart", status: 400 });
    expect(await s.client.listMultipartUploads("videos/user-2/")).toHaveLength(1);
    await s.client.abortMultipart(key, uploadId);
    expect(await s.client.listMultipartUploads("videos/user-2/")).toEqual([]);
    for (const call of [
      s.client.abortMultipart(key, uploadId),
      s.client.listParts(key, uploadId),
      s.client.completeMultipart(key, uploadId, [{ partNumber: 1, etag }]),
    ]) {
      expect(await storageFailure(call)).toMatchObject({ code: "NoSuchUpload", status: 404 });
    }
  });

  it("listMultipartUploads filters by prefix and returns every upload", async () => {
    const ids = [];
    for (const k of ["mp/a", "mp/a", "mp/b c", "other/x"])
      ids.push([k, await s.client.createMultipart(k, {})]);
    const listed = await s.client.listMultipartUploads("mp/");
    expect(listed.map((u) => [u.key, u.uploadId]).sort()).toEqual(
      ids.filter(([k]) => k!.startsWith("mp/")).sort(),
    );
    for (const u of listed) expect(Number.isNaN(u.initiated.getTime())).toBe(false);
    for (const [k, id] of ids) await s.client.abortMultipart(k!, id!);
  });
});

describe("bucket CORS through the transport (PutBucketCors / GetBucketCors builders)", () => {
  let s: StorageFixture;
  beforeAll(async () => {
    s = await startStorage();
  });
  afterAll(async () => {
    await s.close();
  });

  it("a bucket without CORS reads as undefined; rules round-trip", async () => {
    const t = createS3Transport(s.config);
    expect(await getBucketCors(t)).toBeUndefined();
    const rules = [
      {
        id: "upgate-uploads",
        allowedOrigins: ["http://localhost:5173"],
        allowedMethods: ["PUT", "POST"] as const,
        allowedHeaders: ["content-type", "if-none-match", "x-amz-*"],
        exposeHeaders: ["ETag"],
        maxAgeSeconds: 600,
      },
      { allowedOrigins: ["*"], allowedMethods: ["GET", "HEAD"] as const },
    ].map((r) => ({ ...r, allowedMethods: [...r.allowedMethods] }));
    await putBucketCors(t, rules);
    expect(await getBucketCors(t)).toEqual(rules);

    const preflight = await fetch(`${s.f.url}/${s.f.bucket}/k`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "PUT",
        "access-control-request-headers": "content-type,x-amz-meta-upgate-user",
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-expose-headers")).toBe("ETag");
  });
});
