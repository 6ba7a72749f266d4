import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readS3Error, sdkFailure } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const text = async (f: StoreFixture, key: string) =>
  (await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }))).Body!.transformToString();

describe.each(["memory", "fs"] as const)("conditional writes (%s backend)", (backend) => {
  let f: StoreFixture;
  beforeAll(async () => {
    f = await startStore({ backend });
  });
  afterAll(async () => {
    await f.close();
  });

  it("If-None-Match: * writes once; the second PUT gets 412 naming If-None-Match and changes nothing", async () => {
    const first = await f.s3.send(
      new PutObjectCommand({ Bucket: f.bucket, Key: "once", Body: "first", IfNoneMatch: "*" }),
    );
    expect(first.$metadata.httpStatusCode).toBe(200);
    const raw = await signedFetch(f, "PUT", `/${f.bucket}/once`, {
      body: Buffer.from("second"),
      headers: { "if-none-match": "*" },
    });
    expect(await readS3Error(raw)).toMatchObject({
      status: 412,
      code: "PreconditionFailed",
      fields: { Condition: "If-None-Match" },
    });
    const sdk = await sdkFailure(
      f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "once", Body: "third", IfNoneMatch: "*" })),
    );
    expect(sdk).toMatchObject({ code: "PreconditionFailed", status: 412 });
    expect(await text(f, "once")).toBe("first");
  });

  it("lets exactly one of 20 concurrent If-None-Match: * PUTs of a new key win", async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => `writer ${i}`);
    const results = await Promise.all(
      bodies.map((body) =>
        signedFetch(f, "PUT", `/${f.bucket}/race`, {
          body: Buffer.from(body),
          headers: { "if-none-match": "*" },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = bodies[statuses.indexOf(200)]!;
    await Promise.all(results.map((r) => r.arrayBuffer()));
    expect(await text(f, "race")).toBe(winner);
  });

  it("If-Match replaces only the version it names; a missing key is 404 NoSuchKey", async () => {
    const v1 = await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "cas", Body: "v1" }));
    const v2 = await f.s3.send(
      new PutObjectCommand({ Bucket: f.bucket, Key: "cas", Body: "v2", IfMatch: v1.ETag }),
    );
    expect(v2.$metadata.httpStatusCode).toBe(200);
    const stale = await signedFetch(f, "PUT", `/${f.bucket}/cas`, {
      body: Buffer.from("v3"),
      headers: { "if-match": v1.ETag! },
    });
    expect(await readS3Error(stale)).toMatchObject({
      status: 412,
      code: "PreconditionFailed",
      fields: { Condition: "If-Match" },
    });
    expect(await text(f, "cas")).toBe("v2");
    const missing = await sdkFailure(
      f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "cas-missing", Body: "x", IfMatch: v1.ETag })),
    );
    expect(missing).toMatchObject({ code: "NoSuchKey", status: 404 });
    expect(
      (await sdkFailure(f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: "cas-missing" })))).status,
    ).toBe(404);
  });

  it("refuses If-None-Match values other than * on writes", async () => {
    const res = await signedFetch(f, "PUT", `/${f.bucket}/inm-etag`, {
      body: Buffer.from("x"),
      headers: { "if-none-match": '"abc"' },
    });
    expect(await readS3Error(res)).toMatchObject({ status: 501, code: "NotImplemented" });
    expect(
      (await sdkFailure(f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: "inm-etag" })))).status,
    ).toBe(404);
  });
});

describe("conditional reads", () => {
  let f: StoreFixture;
  let etag: string;
  let lastModified: Date;
  const key = "cond/read.txt";
  const get = (headers: Record<string, string>, method = "GET") =>
    signedFetch(f, method, `/${f.bucket}/cond/read.txt`, { headers });
  const httpDate = (offsetSeconds: number) =>
    new Date(lastModified.getTime() + offsetSeconds * 1000).toUTCString();

  beforeAll(async () => {
    f = await startStore();
    const put = await f.s3.send(
      new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: "conditional body" }),
    );
    etag = put.ETag!;
    const head = await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: key }));
    lastModified = head.LastModified!;
  });
  afterAll(async () => {
    await f.close();
  });

  it("If-Match: 200 when it names the ETag (quoted, bare, weak, in a list or *), else 412", async () => {
    for (const value of [etag, etag.slice(1, -1), `W/${etag}`, `"nope", ${etag}`, "*"]) {
      const res = await get({ "if-match": value });
      expect(res.status, value).toBe(200);
      expect(await res.text()).toBe("conditional body");
    }
    const res = await get({ "if-match": '"0123"' });
    expect(await readS3Error(res)).toMatchObject({
      status: 412,
      code: "PreconditionFailed",
      fields: { Condition: "If-Match" },
    });
    expect((await get({ "if-match": '"0123"' }, "HEAD")).status).toBe(412);
  });

  it("If-None-Match: 304 with the ETag and no body when it matches, 200 otherwise", async () => {
    const res = await get({ "if-none-match": etag });
    expect(res.status).toBe(304);
    expect(res.headers.get("etag")).toBe(etag);
    expect(await res.text()).toBe("");
    expect((await get({ "if-none-match": "*" })).status).toBe(304);
    const other = await get({ "if-none-match": '"other"' });
    expect(other.status).toBe(200);
    expect(await other.text()).toBe("conditional body");
    const sdk = await sdkFailure(
      f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: key, IfNoneMatch: etag })),
    );
    expect(sdk.status).toBe(304);
  });

  it("If-Modified-Since: 304 unless modified after the date; unparseable dates are ignored", async () => {
    expect((await get({ "if-modified-since": httpDate(0) })).status).toBe(304);
    expect((await get({ "if-modified-since": httpDate(3600) })).status).toBe(304);
    const older = await get({ "if-modified-since": httpDate(-1) });
    expect(older.status).toBe(200);
    await older.arrayBuffer();
    const junk = await get({ "if-modified-since": "not a date" });
    expect(junk.status).toBe(200);
    await junk.arrayBuffer();
  });

  it("If-Unmodified-Since: 412 when modified after the date", async () => {
    const res = await get({ "if-unmodified-since": httpDate(-1) });
    expect(await readS3Error(res)).toMatchObject({
      status: 412,
      code: "PreconditionFailed",
      fields: { Condition: "If-Unmodified-Since" },
    });
    const ok = await get({ "if-unmodified-since": httpDate(0) });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const sdk = await sdkFailure(
      f.s3.send(
        new GetObjectCommand({
          Bucket: f.bucket,
          Key: key,
          IfUnmodifiedSince: new Date(lastModified.getTime() - 5000),
        }),
      ),
    );
    expect(sdk).toMatchObject({ code: "PreconditionFailed", status: 412 });
  });

  it("follows S3's precedence: a true If-Match beats a false If-Unmodified-Since", async () => {
    const res = await get({ "if-match": etag, "if-unmodified-since": httpDate(-60) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("conditional body");
  });

  it("follows S3's precedence: a false If-None-Match beats a true If-Modified-Since (304)", async () => {
    const res = await get({ "if-none-match": etag, "if-modified-since": httpDate(-60) });
    expect(res.status).toBe(304);
    const miss = await get({ "if-none-match": '"other"', "if-modified-since": httpDate(60) });
    expect(miss.status).toBe(200);
    await miss.arrayBuffer();
  });

  it("evaluates If-Match before If-None-Match (412 wins over 304)", async () => {
    const res = await get({ "if-match": '"other"', "if-none-match": etag });
    expect(res.status).toBe(412);
    await res.arrayBuffer();
  });
});
