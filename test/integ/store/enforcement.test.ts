import { createHash } from "node:crypto";
import { request } from "node:http";
import { HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type PresignInput, presignUrl } from "../../../src/core/sigv4/presign.js";
import { rawHttp } from "../../support/raw-http.js";
import { parseS3Error, readS3Error, sdkFailure } from "../../support/s3-error.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const BODY = Buffer.from("\x89PNG\r\n\x1a\n the picture bytes");
const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("base64");
const md5 = (data: Uint8Array) => createHash("md5").update(data).digest("base64");

describe("enforcement of presigned PUT rules", () => {
  let f: StoreFixture;
  let before: string;
  let counter = 0;
  let key: string;

  /** Everything the store holds: keys, sizes and ETags. */
  const snapshot = async () =>
    JSON.stringify(
      ((await f.s3.send(new ListObjectsV2Command({ Bucket: f.bucket }))).Contents ?? []).map((o) => [
        o.Key,
        o.Size,
        o.ETag,
      ]),
    );

  /** A presigned PUT binding type, length, checksum, write-once and metadata, as the gateway issues. */
  const presign = (overrides: Partial<PresignInput> & { headers?: Record<string, string | number> } = {}) =>
    presignUrl({
      endpoint: f.url,
      bucket: f.bucket,
      key,
      forcePathStyle: true,
      method: "PUT",
      region: f.region,
      credentials: f.credentials,
      expiresIn: 300,
      ...overrides,
      headers: overrides.headers ?? {
        "content-type": "image/png",
        "content-length": BODY.length,
        "x-amz-checksum-sha256": sha256(BODY),
        "if-none-match": "*",
        "x-amz-meta-upgate-user": "user-1",
      },
    } as PresignInput);

  /** The headers to send for a presigned request, minus Content-Length, which fetch sets from the body. */
  const sendable = (headers: Record<string, string>) => {
    const { "content-length": _, ...rest } = headers;
    return rest;
  };

  const put = async (url: string, headers: Record<string, string>, body: Uint8Array = BODY) =>
    fetch(url, { method: "PUT", headers: sendable(headers), body });

  const expectRefused = async (res: Response, status: number, code: string) => {
    const error = await readS3Error(res);
    expect(error).toMatchObject({ status, code });
    return error;
  };

  beforeAll(async () => {
    f = await startStore();
    key = "uploads/user-1/existing.png";
    const signed = await presign();
    expect((await put(signed.url, signed.headers)).status).toBe(200);
  });
  afterAll(async () => {
    await f.close();
  });
  beforeEach(async () => {
    key = `uploads/user-1/${++counter}-${Date.now()}.png`;
    before = await snapshot();
  });
  const unchanged = async () => {
    expect(await snapshot()).toBe(before);
    expect((await sdkFailure(f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: key })))).status).toBe(
      404,
    );
  };

  it("accepts the upload exactly as signed (the baseline every case below breaks)", async () => {
    const signed = await presign();
    expect(signed.signedHeaders).toEqual([
      "content-length",
      "content-type",
      "host",
      "if-none-match",
      "x-amz-checksum-sha256",
    ]);
    expect(signed.url).toContain("x-amz-meta-upgate-user=user-1");
    const res = await put(signed.url, signed.headers);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-amz-checksum-sha256")).toBe(sha256(BODY));
    const head = await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: key }));
    expect(head).toMatchObject({
      ContentType: "image/png",
      ContentLength: BODY.length,
      Metadata: { "upgate-user": "user-1" },
    });
  });

  it("tampered signature: 403 SignatureDoesNotMatch with the StringToSign and CanonicalRequest", async () => {
    const signed = await presign();
    const last = signed.url.at(-1) === "0" ? "1" : "0";
    const error = await expectRefused(
      await put(signed.url.slice(0, -1) + last, signed.headers),
      403,
      "SignatureDoesNotMatch",
    );
    expect(error.fields.StringToSign).toContain("AWS4-HMAC-SHA256");
    expect(error.fields.CanonicalRequest).toContain("PUT\n");
    await unchanged();
  });

  it("tampered metadata in the query: 403 SignatureDoesNotMatch", async () => {
    const signed = await presign();
    await expectRefused(
      await put(signed.url.replace("upgate-user=user-1", "upgate-user=user-2"), signed.headers),
      403,
      "SignatureDoesNotMatch",
    );
    await unchanged();
  });

  it("wrong secret: 403 SignatureDoesNotMatch", async () => {
    const signed = await presign({
      credentials: { accessKeyId: f.credentials.accessKeyId, secretAccessKey: "not-the-secret" },
    });
    await expectRefused(await put(signed.url, signed.headers), 403, "SignatureDoesNotMatch");
    await unchanged();
  });

  it("unknown access key id: 403 InvalidAccessKeyId", async () => {
    const signed = await presign({
      credentials: { accessKeyId: "AKIDUNKNOWN0000000", secretAccessKey: "whatever" },
    });
    await expectRefused(await put(signed.url, signed.headers), 403, "InvalidAccessKeyId");
    await unchanged();
  });

  it("expired URL: 403 AccessDenied 'Request has expired'", async () => {
    const signed = await presign({ date: new Date(Date.now() - 2 * 3600_000), expiresIn: 60 });
    const error = await expectRefused(await put(signed.url, signed.headers), 403, "AccessDenied");
    expect(error.message).toBe("Request has expired");
    await unchanged();
  });

  it("not-yet-valid URL: 403 AccessDenied 'Request is not valid yet'", async () => {
    const signed = await presign({ date: new Date(Date.now() + 3600_000) });
    const error = await expectRefused(await put(signed.url, signed.headers), 403, "AccessDenied");
    expect(error.message).toBe("Request is not valid yet");
    await unchanged();
  });

  it("another content type: 403 SignatureDoesNotMatch", async () => {
    const signed = await presign();
    await expectRefused(
      await put(signed.url, { ...signed.headers, "content-type": "text/html" }),
      403,
      "SignatureDoesNotMatch",
    );
    await unchanged();
  });

  it("another length (a longer and a shorter body): 403 SignatureDoesNotMatch", async () => {
    const signed = await presign();
    await expectRefused(
      await put(signed.url, signed.headers, Buffer.concat([BODY, Buffer.from("x")])),
      403,
      "SignatureDoesNotMatch",
    );
    await expectRefused(
      await put(signed.url, signed.headers, BODY.subarray(1)),
      403,
      "SignatureDoesNotMatch",
    );
    await unchanged();
  });

  it("a missing signed header: 403 SignatureDoesNotMatch", async () => {
    const signed = await presign();
    const { "x-amz-checksum-sha256": _, ...withoutChecksum } = signed.headers;
    await expectRefused(await put(signed.url, withoutChecksum), 403, "SignatureDoesNotMatch");
    const { "if-none-match": __, ...withoutCondition } = signed.headers;
    await expectRefused(await put(signed.url, withoutCondition), 403, "SignatureDoesNotMatch");
    await unchanged();
  });

  it("an unsigned x-amz-* header: 403 AccessDenied naming it in HeadersNotSigned", async () => {
    const signed = await presign();
    const error = await expectRefused(
      await put(signed.url, { ...signed.headers, "x-amz-meta-upgate-user": "someone-else" }),
      403,
      "AccessDenied",
    );
    expect(error.message).toBe("There were headers present in the request which were not signed");
    expect(error.fields.HeadersNotSigned).toBe("x-amz-meta-upgate-user");
    await unchanged();
  });

  it("a body that does not match the signed checksum: 400 BadDigest", async () => {
    const signed = await presign();
    const other = Buffer.from(BODY);
    other.writeUInt8(other.readUInt8(other.length - 1) ^ 1, other.length - 1);
    const error = await expectRefused(await put(signed.url, signed.headers, other), 400, "BadDigest");
    expect(error.message).toBe("The SHA256 you specified did not match the calculated checksum.");
    await unchanged();
  });

  it("a body that does not match Content-MD5, signed or not: 400 BadDigest", async () => {
    const signed = await presign({
      headers: {
        "content-length": BODY.length,
        "content-md5": md5(Buffer.from("other")),
        "if-none-match": "*",
      },
    });
    await expectRefused(await put(signed.url, signed.headers), 400, "BadDigest");
    const plain = await presign({ headers: { "content-length": BODY.length } });
    await expectRefused(
      await put(plain.url, { ...plain.headers, "content-md5": md5(Buffer.from("other")) }),
      400,
      "BadDigest",
    );
    await expectRefused(
      await put(plain.url, { ...plain.headers, "content-md5": "not base64 md5" }),
      400,
      "InvalidDigest",
    );
    await unchanged();
  });

  it("If-None-Match: * on an existing key: 412 PreconditionFailed, the object untouched", async () => {
    key = "uploads/user-1/existing.png";
    before = await snapshot();
    const signed = await presign();
    const error = await expectRefused(await put(signed.url, signed.headers), 412, "PreconditionFailed");
    expect(error.fields.Condition).toBe("If-None-Match");
    expect(await snapshot()).toBe(before);
  });

  it("an anonymous request: 403 AccessDenied", async () => {
    const res = await fetch(`${f.url}/${f.bucket}/${key}`, {
      method: "PUT",
      body: BODY,
      headers: { "content-type": "image/png" },
    });
    await expectRefused(res, 403, "AccessDenied");
    await unchanged();
  });

  it("a bare Transfer-Encoding: chunked PUT: 501 NotImplemented naming Transfer-Encoding", async () => {
    const signed = await presign({ headers: {} });
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        signed.url,
        { method: "PUT", headers: { "transfer-encoding": "chunked" } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
        },
      );
      req.on("error", reject);
      req.write(BODY.subarray(0, 10));
      req.end(BODY.subarray(10));
    });
    expect(parseS3Error(result.body, result.status)).toMatchObject({
      status: 501,
      code: "NotImplemented",
      fields: { Header: "Transfer-Encoding" },
    });
    await unchanged();
  });

  it("a PUT without Content-Length: 411 MissingContentLength", async () => {
    const signed = await presign({ headers: {} });
    const target = signed.url.slice(f.url.length);
    const res = await rawHttp(
      f.url,
      `PUT ${target} HTTP/1.1\r\nHost: ${new URL(f.url).host}\r\nConnection: close\r\n\r\n`,
    );
    expect(parseS3Error(res.body, res.status)).toMatchObject({ status: 411, code: "MissingContentLength" });
    await unchanged();
  });

  it("a body shorter than its Content-Length: 400 IncompleteBody", async () => {
    const signed = await presign({ headers: { "content-length": BODY.length } });
    const target = signed.url.slice(f.url.length);
    const head = `PUT ${target} HTTP/1.1\r\nHost: ${new URL(f.url).host}\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n`;
    const res = await rawHttp(f.url, Buffer.concat([Buffer.from(head), BODY.subarray(0, 5)]));
    expect(parseS3Error(res.body, res.status)).toMatchObject({ status: 400, code: "IncompleteBody" });
    await unchanged();
  });

  it("a URL for one key used for another: 403 SignatureDoesNotMatch", async () => {
    const signed = await presign();
    const other = signed.url.replace(encodeURIComponent(key.split("/").at(-1)!), "hijacked.png");
    expect(other).not.toBe(signed.url);
    await expectRefused(await put(other, signed.headers), 403, "SignatureDoesNotMatch");
    expect(await snapshot()).toBe(before);
  });
});
