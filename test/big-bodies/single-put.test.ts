/**
 * Single PUTs of 128 MiB on the embedded store: a helper saw such a PUT with x-amz-checksum-sha256
 * reset the connection (100 MiB worked). S3 takes up to 5 GiB in one PUT, so every variant here must
 * get an answer, never a reset: the checksum headers, none, a presigned URL, and the SDK's
 * aws-chunked stream with a trailing checksum, on both backends. Bodies are streamed from a generator
 * (1 MiB at a time, each MiB a different byte so order matters), never held whole.
 */
import { createHash } from "node:crypto";
import { request } from "node:http";
import { Readable } from "node:stream";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createChecksum } from "../../src/core/sigv4/checksums.js";
import { presignUrl } from "../../src/core/sigv4/presign.js";
import { signRequest } from "../../src/core/sigv4/sign-request.js";
import { type StoreFixture, startStore } from "../support/store-fixture.js";

const MiB = 1024 * 1024;
const MIBS = 128;
const SIZE = MIBS * MiB;

function* body(): Generator<Buffer> {
  for (let i = 0; i < MIBS; i++) yield Buffer.alloc(MiB, i);
}

const md5 = createHash("md5");
const sha256 = createHash("sha256");
const crc64 = createChecksum("crc64nvme");
for (const piece of body()) {
  md5.update(piece);
  sha256.update(piece);
  crc64.update(piece);
}
const ETAG = `"${md5.digest("hex")}"`;
const SHA256 = sha256.digest("base64");
const CRC64NVME = await crc64.digestBase64();
const WRONG_SHA256 = createHash("sha256").update("something else").digest("base64");

/** Sends the body with node:http, honouring backpressure; a reset rejects with the socket error. */
function send(url: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "PUT", headers: { ...headers, "content-length": String(SIZE) } });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (t: string) => {
        text += t;
      });
      res.on("end", () => resolve({ status: res.statusCode!, text }));
    });
    req.on("error", reject);
    const pieces = body();
    const pump = () => {
      for (let next = pieces.next(); !next.done; next = pieces.next()) {
        if (!req.write(next.value)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

/** Starts a store on `backend` for the enclosing describe, with helpers to PUT the body and HEAD it. */
function storeOn(backend: "fs" | "memory") {
  let f: StoreFixture;
  beforeAll(async () => {
    f = await startStore({ backend });
  });
  afterAll(async () => {
    await f?.close();
  });
  const url = (key: string) => `${f.url}/${f.bucket}/${key}`;
  return {
    fixture: () => f,
    async put(key: string, headers: Record<string, string>) {
      const s = await signRequest({
        method: "PUT",
        url: url(key),
        headers,
        payloadHash: "UNSIGNED-PAYLOAD",
        region: f.region,
        credentials: f.credentials,
      });
      return send(url(key), s.headers);
    },
    head: (key: string) =>
      f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: key, ChecksumMode: "ENABLED" })),
  };
}

function checksumHeaderTests(store: ReturnType<typeof storeOn>) {
  test("with a correct x-amz-checksum-sha256 is stored, with its ETag and checksum", async () => {
    expect(await store.put("sha256", { "x-amz-checksum-sha256": SHA256 })).toEqual({ status: 200, text: "" });
    const got = await store.head("sha256");
    expect([got.ContentLength, got.ETag, got.ChecksumSHA256]).toEqual([SIZE, ETAG, SHA256]);
  });

  test("with a wrong x-amz-checksum-sha256 gets BadDigest and stores nothing", async () => {
    const res = await store.put("wrong", { "x-amz-checksum-sha256": WRONG_SHA256 });
    expect(res.status).toBe(400);
    expect(res.text).toContain("<Code>BadDigest</Code>");
    await expect(store.head("wrong")).rejects.toMatchObject({ name: "NotFound" });
  });
}

/** The fs backend (what `upgate store` runs) gets every variant; memory the checksum header's two outcomes. */
describe("a 128 MiB PUT on the memory backend", () => {
  checksumHeaderTests(storeOn("memory"));
});

describe("a 128 MiB PUT on the fs backend", () => {
  const store = storeOn("fs");
  checksumHeaderTests(store);

  test("with x-amz-checksum-crc64nvme, and with no checksum, is stored", async () => {
    expect(await store.put("crc", { "x-amz-checksum-crc64nvme": CRC64NVME })).toEqual({
      status: 200,
      text: "",
    });
    expect((await store.head("crc")).ChecksumCRC64NVME).toBe(CRC64NVME);
    expect(await store.put("plain", {})).toEqual({ status: 200, text: "" });
    expect((await store.head("plain")).ETag).toBe(ETAG);
  });

  test("through a presigned URL that signs x-amz-checksum-sha256 is stored", async () => {
    const f = store.fixture();
    const signed = await presignUrl({
      endpoint: f.url,
      bucket: f.bucket,
      key: "presigned",
      forcePathStyle: true,
      method: "PUT",
      region: f.region,
      credentials: f.credentials,
      expiresIn: 60,
      headers: { "x-amz-checksum-sha256": SHA256 },
    });
    expect(await send(signed.url, signed.headers)).toEqual({ status: 200, text: "" });
    expect((await store.head("presigned")).ChecksumSHA256).toBe(SHA256);
  });

  test("from the SDK as an aws-chunked stream with a trailing sha256 is stored", async () => {
    const f = store.fixture();
    const out = await f.s3.send(
      new PutObjectCommand({
        Bucket: f.bucket,
        Key: "sdk",
        Body: Readable.from(body()),
        ContentLength: SIZE,
        ChecksumAlgorithm: "SHA256",
      }),
    );
    expect([out.ETag, out.ChecksumSHA256]).toEqual([ETAG, SHA256]);
  });
});
