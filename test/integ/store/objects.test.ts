import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readS3Error, sdkFailure } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";
import { TRICKY_KEYS } from "../../support/tricky-keys.js";

const md5 = (data: Uint8Array | string) => `"${createHash("md5").update(data).digest("hex")}"`;
const sha256b64 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("base64");

function stream(chunks: Buffer[]): Readable {
  return Readable.from(chunks);
}

describe.each(["memory", "fs"] as const)("objects (%s backend)", (backend) => {
  let f: StoreFixture;
  beforeAll(async () => {
    f = await startStore({ backend });
  });
  afterAll(async () => {
    await f.close();
  });

  it("puts a buffer body and gets it back with its ETag, type, metadata and stored headers", async () => {
    const body = Buffer.from("hello, store");
    const put = await f.s3.send(
      new PutObjectCommand({
        Bucket: f.bucket,
        Key: "docs/hello.txt",
        Body: body,
        ContentType: "text/plain; charset=utf-8",
        Metadata: { owner: "alice", "upgate-upload": "u-1" },
        CacheControl: "max-age=60",
        ContentDisposition: 'attachment; filename="h.txt"',
        ContentEncoding: "identity",
        ContentLanguage: "en",
        Expires: new Date("2030-01-01T00:00:00Z"),
      }),
    );
    expect(put.ETag).toBe(md5(body));
    const got = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: "docs/hello.txt" }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(body);
    expect(got).toMatchObject({
      ETag: md5(body),
      ContentType: "text/plain; charset=utf-8",
      ContentLength: body.length,
      Metadata: { owner: "alice", "upgate-upload": "u-1" },
      CacheControl: "max-age=60",
      ContentDisposition: 'attachment; filename="h.txt"',
      ContentEncoding: "identity",
      ContentLanguage: "en",
      AcceptRanges: "bytes",
    });
    expect(got.ExpiresString).toBe("Tue, 01 Jan 2030 00:00:00 GMT");
    expect(got.LastModified).toBeInstanceOf(Date);
  });

  it("puts a stream body (aws-chunked with a crc32 trailer) and reads back the same bytes", async () => {
    const chunks = [randomBytes(70_000), randomBytes(1), randomBytes(200_000)];
    const all = Buffer.concat(chunks);
    const put = await f.s3.send(
      new PutObjectCommand({
        Bucket: f.bucket,
        Key: "stream/one.bin",
        Body: stream(chunks),
        ContentLength: all.length,
      }),
    );
    expect(put.ETag).toBe(md5(all));
    expect(put.ChecksumCRC32).toMatch(/^[A-Za-z0-9+/]{6}==$/);
    const got = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: "stream/one.bin" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(all)).toBe(true);
    expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
  });

  it("streams an 8 MiB object in and out", async () => {
    const chunks = Array.from({ length: 8 }, () => randomBytes(1024 * 1024));
    const all = Buffer.concat(chunks);
    await f.s3.send(
      new PutObjectCommand({
        Bucket: f.bucket,
        Key: "big.bin",
        Body: stream(chunks),
        ContentLength: all.length,
      }),
    );
    const got = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: "big.bin" }));
    const hash = createHash("md5");
    let length = 0;
    for await (const chunk of got.Body as Readable) {
      hash.update(chunk as Buffer);
      length += (chunk as Buffer).length;
    }
    expect(length).toBe(all.length);
    expect(`"${hash.digest("hex")}"`).toBe(md5(all));
  });

  it("stores Content-Encoding as sent, dropping only the aws-chunked transfer coding", async () => {
    const cases: Array<[string, string | undefined]> = [
      ["gzip", "gzip"],
      ["deflate, gzip", "deflate, gzip"],
      ["gzip, aws-chunked", "gzip"],
      ["aws-chunked, gzip", "gzip"],
      ["aws-chunked", undefined],
      ["aws-chunked, aws-chunked", undefined],
    ];
    for (const [sent, stored] of cases) {
      await f.s3.send(
        new PutObjectCommand({ Bucket: f.bucket, Key: "encoding.bin", Body: "x", ContentEncoding: sent }),
      );
      const head = await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: "encoding.bin" }));
      expect(head.ContentEncoding, sent).toBe(stored);
    }
  });

  it("stores an empty object", async () => {
    const put = await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "empty", Body: "" }));
    expect(put.ETag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
    const got = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: "empty" }));
    expect(got.ContentLength).toBe(0);
    expect(await got.Body!.transformToString()).toBe("");
  });

  it("defaults the content type to binary/octet-stream when none is sent", async () => {
    // A byte body: fetch adds no Content-Type of its own.
    const res = await signedFetch(f, "PUT", `/${f.bucket}/untyped`, { body: Buffer.from("x") });
    expect(res.status).toBe(200);
    const head = await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: "untyped" }));
    expect(head.ContentType).toBe("binary/octet-stream");
  });

  it("overwrites an object", async () => {
    await f.s3.send(
      new PutObjectCommand({ Bucket: f.bucket, Key: "over", Body: "one", Metadata: { v: "1" } }),
    );
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "over", Body: "two!" }));
    const got = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: "over" }));
    expect(await got.Body!.transformToString()).toBe("two!");
    expect(got.Metadata).toEqual({});
  });

  it.each(TRICKY_KEYS)("round-trips the key %j exactly", async (key) => {
    const body = `body of ${key}`;
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: body }));
    const got = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
    expect(await got.Body!.transformToString()).toBe(body);
    const listed = await f.s3.send(new ListObjectsV2Command({ Bucket: f.bucket, Prefix: key }));
    expect(listed.Contents?.[0]?.Key).toBe(key);
    await f.s3.send(new DeleteObjectCommand({ Bucket: f.bucket, Key: key }));
    expect((await sdkFailure(f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: key })))).status).toBe(
      404,
    );
  });

  it("keeps keys that differ only by encoding apart", async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "sep/a b", Body: "space" }));
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "sep/a+b", Body: "plus" }));
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "sep/a%20b", Body: "percent" }));
    for (const [key, body] of [
      ["sep/a b", "space"],
      ["sep/a+b", "plus"],
      ["sep/a%20b", "percent"],
    ] as const) {
      const got = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
      expect(await got.Body!.transformToString()).toBe(body);
    }
  });

  it("refuses a key over 1024 bytes with KeyTooLongError and accepts one of exactly 1024", async () => {
    const failure = await sdkFailure(
      f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "é".repeat(513), Body: "x" })),
    );
    expect(failure).toMatchObject({ code: "KeyTooLongError", status: 400 });
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "é".repeat(512), Body: "x" }));
    const head = await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: "é".repeat(512) }));
    expect(head.ContentLength).toBe(1);
  });

  it("answers NoSuchKey with the key on GET, and a bodiless 404 on HEAD", async () => {
    const failure = await sdkFailure(
      f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: "no/such key" })),
    );
    expect(failure).toMatchObject({ code: "NoSuchKey", status: 404 });
    expect((failure.error as { Key?: string }).Key).toBe("no/such key");
    const head = await signedFetch(f, "HEAD", `/${f.bucket}/no/such%20key`);
    expect(head.status).toBe(404);
    expect(await head.text()).toBe("");
    const get = await signedFetch(f, "GET", `/${f.bucket}/no/such%20key`);
    expect(await readS3Error(get)).toMatchObject({
      status: 404,
      code: "NoSuchKey",
      fields: { Key: "no/such key" },
    });
  });

  it("answers NoSuchBucket for reads and writes in a missing bucket", async () => {
    for (const call of [
      () => f.s3.send(new PutObjectCommand({ Bucket: "nope-bucket", Key: "k", Body: "x" })),
      () => f.s3.send(new GetObjectCommand({ Bucket: "nope-bucket", Key: "k" })),
      () => f.s3.send(new DeleteObjectCommand({ Bucket: "nope-bucket", Key: "k" })),
    ]) {
      expect(await sdkFailure(call())).toMatchObject({ code: "NoSuchBucket", status: 404 });
    }
  });

  it("deletes with 204 whether or not the key exists", async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "doomed", Body: "x" }));
    const first = await f.s3.send(new DeleteObjectCommand({ Bucket: f.bucket, Key: "doomed" }));
    expect(first.$metadata.httpStatusCode).toBe(204);
    const again = await f.s3.send(new DeleteObjectCommand({ Bucket: f.bucket, Key: "doomed" }));
    expect(again.$metadata.httpStatusCode).toBe(204);
    expect(
      (await sdkFailure(f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: "doomed" })))).code,
    ).toBe("NoSuchKey");
  });

  it("refuses a conditional DeleteObject it cannot honour, and deletes nothing", async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "kept", Body: "x" }));
    const res = await signedFetch(f, "DELETE", `/${f.bucket}/kept`, { headers: { "if-match": '"abc"' } });
    expect(await readS3Error(res)).toMatchObject({ status: 501, code: "NotImplemented" });
    expect((await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: "kept" }))).ContentLength).toBe(1);
  });

  it("returns stored checksums only with x-amz-checksum-mode: ENABLED", async () => {
    const body = "checksummed";
    const put = await f.s3.send(
      new PutObjectCommand({ Bucket: f.bucket, Key: "sum", Body: body, ChecksumAlgorithm: "SHA256" }),
    );
    expect(put.ChecksumSHA256).toBe(sha256b64(body));
    const plain = await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: "sum" }));
    expect(plain.ChecksumSHA256).toBeUndefined();
    const enabled = await f.s3.send(
      new HeadObjectCommand({ Bucket: f.bucket, Key: "sum", ChecksumMode: "ENABLED" }),
    );
    expect(enabled.ChecksumSHA256).toBe(sha256b64(body));
    expect(enabled.ChecksumType).toBe("FULL_OBJECT");
    const raw = await signedFetch(f, "GET", `/${f.bucket}/sum`, {
      headers: { "x-amz-checksum-mode": "ENABLED" },
    });
    expect(raw.headers.get("x-amz-checksum-sha256")).toBe(sha256b64(body));
    await raw.arrayBuffer();
    const ranged = await signedFetch(f, "GET", `/${f.bucket}/sum`, {
      headers: { "x-amz-checksum-mode": "ENABLED", range: "bytes=0-3" },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("x-amz-checksum-sha256")).toBeNull();
    expect(await ranged.text()).toBe("chec");
  });

  it("stores the checksum the client sends, and refuses two in one request as S3 does", async () => {
    const body = "multi-checksum body";
    const sha1 = createHash("sha1").update(body).digest("base64");
    const two = await signedFetch(f, "PUT", `/${f.bucket}/multi-sum`, {
      body,
      headers: { "x-amz-checksum-sha256": sha256b64(body), "x-amz-checksum-sha1": sha1 },
    });
    expect(await readS3Error(two)).toMatchObject({
      status: 400,
      code: "InvalidRequest",
      message: "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
    });
    const res = await signedFetch(f, "PUT", `/${f.bucket}/multi-sum`, {
      body,
      headers: {
        "x-amz-checksum-sha1": sha1,
        "content-md5": createHash("md5").update(body).digest("base64"),
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-amz-checksum-sha1")).toBe(sha1);
    expect(res.headers.get("etag")).toBe(md5(body));
    const head = await signedFetch(f, "HEAD", `/${f.bucket}/multi-sum`, {
      headers: { "x-amz-checksum-mode": "ENABLED" },
    });
    expect(head.headers.get("x-amz-checksum-sha1")).toBe(sha1);
    expect(head.headers.get("x-amz-checksum-type")).toBe("FULL_OBJECT");
  });

  it("refuses versionId other than null on unversioned objects", async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "versioned", Body: "x" }));
    const ok = await f.s3.send(
      new GetObjectCommand({ Bucket: f.bucket, Key: "versioned", VersionId: "null" }),
    );
    expect(await ok.Body!.transformToString()).toBe("x");
    const failure = await sdkFailure(
      f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: "versioned", VersionId: "v1" })),
    );
    expect(failure).toMatchObject({ code: "InvalidArgument", status: 400 });
  });
});
