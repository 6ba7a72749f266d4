import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presignUrl } from "../../../src/core/sigv4/presign.js";
import { readS3Error } from "../../support/s3-error.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const OVERRIDES = {
  "response-content-type": "application/x-override",
  "response-content-disposition": 'attachment; filename="ü report.pdf"',
  "response-cache-control": "private, max-age=5",
  "response-content-language": "de-DE",
  "response-expires": "Wed, 21 Oct 2037 07:28:00 GMT",
  "response-content-encoding": "identity",
};

function expectOverridden(res: Response): void {
  expect(res.headers.get("content-type")).toBe(OVERRIDES["response-content-type"]);
  expect(res.headers.get("content-disposition")).toBe(OVERRIDES["response-content-disposition"]);
  expect(res.headers.get("cache-control")).toBe(OVERRIDES["response-cache-control"]);
  expect(res.headers.get("content-language")).toBe(OVERRIDES["response-content-language"]);
  expect(res.headers.get("expires")).toBe(OVERRIDES["response-expires"]);
  expect(res.headers.get("content-encoding")).toBe(OVERRIDES["response-content-encoding"]);
}

describe("presigned URLs against the store", () => {
  let f: StoreFixture;
  const key = "reports/ü q1+final (v2).pdf";

  beforeAll(async () => {
    f = await startStore();
    await f.s3.send(
      new PutObjectCommand({
        Bucket: f.bucket,
        Key: key,
        Body: "%PDF-1.7 body",
        ContentType: "application/pdf",
        CacheControl: "no-store",
      }),
    );
  });
  afterAll(async () => {
    await f.close();
  });

  /** Our presignUrl for the store's bucket, path style, valid for a minute. */
  const presignOnStore = (method: string, objectKey: string, query?: Record<string, string>) =>
    presignUrl({
      endpoint: f.url,
      bucket: f.bucket,
      key: objectKey,
      forcePathStyle: true,
      method,
      region: f.region,
      credentials: f.credentials,
      expiresIn: 60,
      ...(query ? { query } : {}),
    });

  it("GET with our presignUrl applies every response-* override", async () => {
    const signed = await presignOnStore("GET", key, OVERRIDES);
    const res = await fetch(signed.url);
    expect(res.status).toBe(200);
    expectOverridden(res);
    expect(await res.text()).toBe("%PDF-1.7 body");
  });

  it("metadata no header can carry (CR/LF from a signed query) is left out of GET and HEAD, and counted", async () => {
    const metaKey = "meta/unsafe.txt";
    const put = await presignOnStore("PUT", metaKey, {
      "x-amz-meta-note": "a\r\nset-cookie: x=1",
      "x-amz-meta-city": "東京",
      "x-amz-meta-ok": "yes",
    });
    expect((await fetch(put.url, { method: "PUT", body: "text" })).status).toBe(200);
    for (const method of ["GET", "HEAD"] as const) {
      const res = await f.s3.send(
        method === "GET"
          ? new GetObjectCommand({ Bucket: f.bucket, Key: metaKey })
          : new HeadObjectCommand({ Bucket: f.bucket, Key: metaKey }),
      );
      expect(res.Metadata).toEqual({ ok: "yes", city: "=?UTF-8?B?5p2x5Lqs?=" });
      expect(res.MissingMeta).toBe(1);
    }
  });

  it("GET with the SDK's getSignedUrl applies the overrides too", async () => {
    const url = await getSignedUrl(
      f.s3,
      new GetObjectCommand({
        Bucket: f.bucket,
        Key: key,
        ResponseContentType: OVERRIDES["response-content-type"],
        ResponseContentDisposition: OVERRIDES["response-content-disposition"],
        ResponseCacheControl: OVERRIDES["response-cache-control"],
        ResponseContentLanguage: OVERRIDES["response-content-language"],
        ResponseExpires: new Date(OVERRIDES["response-expires"]),
        ResponseContentEncoding: OVERRIDES["response-content-encoding"],
      }),
      { expiresIn: 60 },
    );
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expectOverridden(res);
    expect(await res.text()).toBe("%PDF-1.7 body");
  });

  it("without overrides returns the stored headers", async () => {
    const url = await getSignedUrl(f.s3, new GetObjectCommand({ Bucket: f.bucket, Key: key }), {
      expiresIn: 60,
    });
    const res = await fetch(url);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("cache-control")).toBe("no-store");
    await res.arrayBuffer();
  });

  it("HEAD and ranged GET work through presigned URLs", async () => {
    const head = await presignOnStore("HEAD", key);
    const res = await fetch(head.url, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe("13");
    const url = await getSignedUrl(
      f.s3,
      new GetObjectCommand({ Bucket: f.bucket, Key: key, Range: "bytes=0-3" }),
      {
        expiresIn: 60,
      },
    );
    const ranged = await fetch(url, { headers: { range: "bytes=0-3" } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe("%PDF");
  });

  it("PUT through the SDK's presigned URL stores the body and ignores the query checksum", async () => {
    const url = await getSignedUrl(
      f.s3,
      new PutObjectCommand({
        Bucket: f.bucket,
        Key: "sdk-presigned.txt",
        ContentType: "text/plain",
        Metadata: { by: "sdk" },
      }),
      { expiresIn: 60 },
    );
    expect(url).toContain("x-amz-checksum-crc32=");
    const res = await fetch(url, {
      method: "PUT",
      body: "presigned body",
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(200);
    const head = await f.s3.send(
      new HeadObjectCommand({ Bucket: f.bucket, Key: "sdk-presigned.txt", ChecksumMode: "ENABLED" }),
    );
    expect(head).toMatchObject({ ContentType: "text/plain", ContentLength: 14, Metadata: { by: "sdk" } });
    expect(head.ChecksumCRC32).toBeUndefined();
  });

  it("refuses a presigned GET whose URL was altered (403 SignatureDoesNotMatch)", async () => {
    const signed = await presignOnStore("GET", key, { "response-content-type": "text/plain" });
    const res = await fetch(signed.url.replace("text%2Fplain", "text%2Fhtml"));
    expect(await readS3Error(res)).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });
});
