import { createHash, randomBytes } from "node:crypto";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readS3Error, sdkFailure } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

/** x-amz-copy-source as S3 documents it: "bucket/key", URL-encoded. */
const source = (bucket: string, key: string) =>
  `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;

describe.each(["memory", "fs"] as const)("CopyObject (%s backend)", (backend) => {
  let f: StoreFixture;
  let srcETag: string;
  let srcModified: Date;
  const body = randomBytes(300_000);

  beforeAll(async () => {
    f = await startStore({ backend });
    await f.s3.send(new CreateBucketCommand({ Bucket: "other-bucket" }));
    const put = await f.s3.send(
      new PutObjectCommand({
        Bucket: f.bucket,
        Key: "src/ü file+1.bin",
        Body: body,
        ContentType: "application/x-source",
        Metadata: { origin: "source" },
        CacheControl: "no-cache",
        ChecksumAlgorithm: "SHA256",
      }),
    );
    srcETag = put.ETag!;
    srcModified = (await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: "src/ü file+1.bin" })))
      .LastModified!;
  });
  afterAll(async () => {
    await f.close();
  });

  it("copies bytes, type, metadata and checksums (COPY), across buckets", async () => {
    const out = await f.s3.send(
      new CopyObjectCommand({
        Bucket: "other-bucket",
        Key: "dst/copy.bin",
        CopySource: source(f.bucket, "src/ü file+1.bin"),
      }),
    );
    expect(out.CopyObjectResult?.ETag).toBe(srcETag);
    expect(out.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const got = await f.s3.send(
      new GetObjectCommand({ Bucket: "other-bucket", Key: "dst/copy.bin", ChecksumMode: "ENABLED" }),
    );
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect(got).toMatchObject({
      ContentType: "application/x-source",
      Metadata: { origin: "source" },
      CacheControl: "no-cache",
      ChecksumSHA256: createHash("sha256").update(body).digest("base64"),
    });
  });

  it("accepts a leading slash in the copy source", async () => {
    const res = await signedFetch(f, "PUT", `/${f.bucket}/dst/slash`, {
      headers: { "x-amz-copy-source": `/${source(f.bucket, "src/ü file+1.bin")}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<ETag>${srcETag.replace(/"/g, "&quot;")}</ETag>`);
  });

  it("replaces type and metadata with x-amz-metadata-directive: REPLACE", async () => {
    await f.s3.send(
      new CopyObjectCommand({
        Bucket: f.bucket,
        Key: "dst/replaced",
        CopySource: source(f.bucket, "src/ü file+1.bin"),
        MetadataDirective: "REPLACE",
        ContentType: "text/plain",
        Metadata: { fresh: "yes" },
      }),
    );
    const head = await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: "dst/replaced" }));
    expect(head).toMatchObject({
      ContentType: "text/plain",
      Metadata: { fresh: "yes" },
      ContentLength: body.length,
    });
    expect(head.CacheControl).toBeUndefined();
  });

  it("ignores request metadata under COPY", async () => {
    await f.s3.send(
      new CopyObjectCommand({
        Bucket: f.bucket,
        Key: "dst/kept",
        CopySource: source(f.bucket, "src/ü file+1.bin"),
        ContentType: "text/ignored",
        Metadata: { ignored: "yes" },
      }),
    );
    const head = await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: "dst/kept" }));
    expect(head).toMatchObject({ ContentType: "application/x-source", Metadata: { origin: "source" } });
  });

  it("refuses to copy an object onto itself without REPLACE, and allows it with REPLACE", async () => {
    const failure = await sdkFailure(
      f.s3.send(
        new CopyObjectCommand({
          Bucket: f.bucket,
          Key: "src/ü file+1.bin",
          CopySource: source(f.bucket, "src/ü file+1.bin"),
        }),
      ),
    );
    expect(failure).toMatchObject({ code: "InvalidRequest", status: 400 });
    await f.s3.send(
      new PutObjectCommand({ Bucket: f.bucket, Key: "self", Body: "self body", Metadata: { a: "1" } }),
    );
    await f.s3.send(
      new CopyObjectCommand({
        Bucket: f.bucket,
        Key: "self",
        CopySource: source(f.bucket, "self"),
        MetadataDirective: "REPLACE",
        Metadata: { a: "2" },
      }),
    );
    const got = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: "self" }));
    expect(got.Metadata).toEqual({ a: "2" });
    expect(await got.Body!.transformToString()).toBe("self body");
  });

  it("honours the copy-source conditionals with 412", async () => {
    const cases: Array<[Record<string, string>, number, string?]> = [
      [{ "x-amz-copy-source-if-match": srcETag }, 200],
      [{ "x-amz-copy-source-if-match": '"nope"' }, 412, "x-amz-copy-source-If-Match"],
      [{ "x-amz-copy-source-if-none-match": srcETag }, 412, "x-amz-copy-source-If-None-Match"],
      [{ "x-amz-copy-source-if-none-match": '"nope"' }, 200],
      [
        { "x-amz-copy-source-if-modified-since": new Date(srcModified.getTime() + 3_600_000).toUTCString() },
        412,
      ],
      [
        {
          "x-amz-copy-source-if-unmodified-since": new Date(srcModified.getTime() - 3_600_000).toUTCString(),
        },
        412,
      ],
      [
        {
          "x-amz-copy-source-if-match": srcETag,
          "x-amz-copy-source-if-unmodified-since": new Date(srcModified.getTime() - 3_600_000).toUTCString(),
        },
        200,
      ],
    ];
    for (const [headers, status, condition] of cases) {
      const res = await signedFetch(f, "PUT", `/${f.bucket}/dst/conditional`, {
        headers: { "x-amz-copy-source": source(f.bucket, "src/ü file+1.bin"), ...headers },
      });
      if (status === 200) {
        expect(res.status, JSON.stringify(headers)).toBe(200);
        await res.arrayBuffer();
      } else {
        const error = await readS3Error(res);
        expect(error, JSON.stringify(headers)).toMatchObject({ status: 412, code: "PreconditionFailed" });
        if (condition) expect(error.fields.Condition).toBe(condition);
      }
    }
  });

  it("applies If-None-Match: * to the destination", async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "dst/taken", Body: "taken" }));
    const res = await signedFetch(f, "PUT", `/${f.bucket}/dst/taken`, {
      headers: { "x-amz-copy-source": source(f.bucket, "src/ü file+1.bin"), "if-none-match": "*" },
    });
    expect(await readS3Error(res)).toMatchObject({
      status: 412,
      code: "PreconditionFailed",
      fields: { Condition: "If-None-Match" },
    });
    const got = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: "dst/taken" }));
    expect(await got.Body!.transformToString()).toBe("taken");
  });

  it("answers NoSuchKey, NoSuchBucket and InvalidArgument for bad sources", async () => {
    const cases: Array<[string, string, number]> = [
      [source(f.bucket, "src/missing"), "NoSuchKey", 404],
      [source("missing-bucket", "k"), "NoSuchBucket", 404],
      ["just-a-bucket", "InvalidArgument", 400],
      [`${f.bucket}/`, "InvalidArgument", 400],
      [`${f.bucket}/bad%zzescape`, "InvalidArgument", 400],
    ];
    for (const [copySource, code, status] of cases) {
      const res = await signedFetch(f, "PUT", `/${f.bucket}/dst/never`, {
        headers: { "x-amz-copy-source": copySource },
      });
      expect(await readS3Error(res), copySource).toMatchObject({ status, code });
    }
    expect(
      (await sdkFailure(f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: "dst/never" })))).status,
    ).toBe(404);
  });

  it("refuses a specific source version and an unknown metadata directive", async () => {
    const version = await signedFetch(f, "PUT", `/${f.bucket}/dst/v`, {
      headers: { "x-amz-copy-source": `${source(f.bucket, "src/ü file+1.bin")}?versionId=abc` },
    });
    expect(await readS3Error(version)).toMatchObject({ status: 501, code: "NotImplemented" });
    const directive = await signedFetch(f, "PUT", `/${f.bucket}/dst/v`, {
      headers: {
        "x-amz-copy-source": source(f.bucket, "src/ü file+1.bin"),
        "x-amz-metadata-directive": "MERGE",
      },
    });
    expect(await readS3Error(directive)).toMatchObject({ status: 400, code: "InvalidArgument" });
  });

  it("computes a requested checksum of the copy", async () => {
    const out = await f.s3.send(
      new CopyObjectCommand({
        Bucket: f.bucket,
        Key: "dst/crc",
        CopySource: source(f.bucket, "src/ü file+1.bin"),
        ChecksumAlgorithm: "SHA1",
      }),
    );
    expect(out.CopyObjectResult?.ChecksumSHA1).toBe(createHash("sha1").update(body).digest("base64"));
  });
});
