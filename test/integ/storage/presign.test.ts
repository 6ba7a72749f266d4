import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readS3Error } from "../../support/s3-error.js";
import {
  PNG_1X1,
  putViaUrl,
  type StorageFixture,
  sha256b64,
  startStorage,
  storageFailure,
} from "./support.js";

const META = { "x-amz-meta-upgate-user": "user-1", "x-amz-meta-upgate-upload": "up-1" };

describe("StorageClient presigning, used for real against the store", () => {
  let s: StorageFixture;
  beforeAll(async () => {
    s = await startStorage();
  });
  afterAll(async () => {
    await s.close();
  });

  it("presignPut signs exactly the headers given, as headers, and the store enforces each", async () => {
    const key = "images/user-1/put.png";
    const headers = {
      "content-type": "image/png",
      "content-length": String(PNG_1X1.length),
      "x-amz-checksum-sha256": sha256b64(PNG_1X1),
      "if-none-match": "*",
      ...META,
    };
    const signed = await s.client.presignPut(key, headers, 60);
    expect(signed.method).toBe("PUT");
    expect(signed.signedHeaders).toEqual(["host", ...Object.keys(headers)].sort());
    expect(signed.headers).toEqual(headers);
    // Nothing is hoisted: metadata travels as signed headers, which every S3 implementation honours.
    expect([...new URL(signed.url).searchParams.keys()].filter((k) => !k.startsWith("X-Amz-"))).toEqual([]);
    expect(signed.url).toContain(`${s.f.url}/${s.f.bucket}/images/user-1/put.png?`);

    const put = (h: Record<string, string>, body: Uint8Array = PNG_1X1) =>
      fetch(signed.url, { method: "PUT", headers: h, body });
    expect((await readS3Error(await put({ ...headers, "content-type": "text/html" }))).code).toBe(
      "SignatureDoesNotMatch",
    );
    const { "x-amz-meta-upgate-user": _, ...withoutUser } = headers;
    expect((await readS3Error(await put(withoutUser))).code).toBe("SignatureDoesNotMatch");
    const tampered = PNG_1X1.slice();
    tampered[40] = (tampered[40]! + 1) % 256;
    expect((await readS3Error(await put(headers, tampered))).code).toBe("BadDigest");
    const longer = await put(
      { ...headers, "content-length": String(PNG_1X1.length + 1) },
      new Uint8Array(69),
    );
    expect((await readS3Error(longer)).code).toBe("SignatureDoesNotMatch");

    expect((await put(headers)).status).toBe(200);
    const replay = await readS3Error(await put(headers));
    expect([replay.status, replay.code]).toEqual([412, "PreconditionFailed"]);

    const head = await s.client.head(key);
    expect(head).toMatchObject({
      size: PNG_1X1.length,
      contentType: "image/png",
      metadata: { "upgate-user": "user-1", "upgate-upload": "up-1" },
      checksums: { sha256: sha256b64(PNG_1X1) },
    });
  });

  it("presignGet applies signed response-content-disposition and response-content-type", async () => {
    const key = "docs/report.html";
    expect((await putViaUrl(s.client, key, "<h1>hi</h1>", { "content-type": "text/html" })).status).toBe(200);
    const signed = await s.client.presignGet(key, {
      expiresIn: 60,
      responseContentDisposition: 'attachment; filename="report.html"',
      responseContentType: "text/plain",
    });
    const res = await fetch(signed.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="report.html"');
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(await res.text()).toBe("<h1>hi</h1>");
    // The overrides are signed: changing one breaks the URL.
    const tampered = signed.url.replace("text%2Fplain", "text%2Fhtml");
    expect(tampered).not.toBe(signed.url);
    expect((await readS3Error(await fetch(tampered))).code).toBe("SignatureDoesNotMatch");

    const plain = await fetch((await s.client.presignGet(key, { expiresIn: 60 })).url);
    expect(plain.headers.get("content-type")).toBe("text/html");
    expect(plain.headers.get("content-disposition")).toBeNull();
  });

  it("presignPart signs partNumber and uploadId and the part's exact length", async () => {
    const key = "videos/user-1/part.bin";
    const uploadId = await s.client.createMultipart(key, { "content-type": "application/octet-stream" });
    const body = new TextEncoder().encode("part body");
    const signed = await s.client.presignPart(
      key,
      uploadId,
      1,
      { "content-length": String(body.length) },
      60,
    );
    expect(signed.signedHeaders).toEqual(["content-length", "host"]);
    const url = new URL(signed.url);
    expect(url.searchParams.get("partNumber")).toBe("1");
    expect(url.searchParams.get("uploadId")).toBe(uploadId);
    const res = await fetch(signed.url, { method: "PUT", headers: signed.headers, body });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await s.client.listParts(key, uploadId)).toEqual([
      { partNumber: 1, size: body.length, etag: res.headers.get("etag") },
    ]);
    await s.client.abortMultipart(key, uploadId);
  });

  it("presignPost builds a form the store accepts within content-length-range, with exact fields", async () => {
    const key = "images/user-1/post.png";
    const post = await s.client.presignPost({
      key,
      fields: { "Content-Type": "image/png", ...META, "x-amz-checksum-sha256": sha256b64(PNG_1X1) },
      contentLengthRange: [1, 100],
      expiresIn: 60,
    });
    expect(post.url).toBe(`${s.f.url}/${s.f.bucket}`);
    expect(post.policy.conditions).toContainEqual(["content-length-range", 1, 100]);
    expect(post.policy.conditions).toContainEqual({ "x-amz-meta-upgate-user": "user-1" });

    const send = (file: Uint8Array, fields = post.fields) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append("file", new Blob([file]), "a.png");
      return fetch(post.url, { method: "POST", body: form });
    };
    const tooBig = await readS3Error(await send(new Uint8Array(101)));
    expect([tooBig.status, tooBig.code]).toEqual([400, "EntityTooLarge"]);
    const wrong = await readS3Error(await send(PNG_1X1, { ...post.fields, "Content-Type": "text/html" }));
    expect([wrong.status, wrong.code]).toEqual([403, "AccessDenied"]);
    const other = PNG_1X1.slice();
    other[30] = 0;
    expect((await readS3Error(await send(other))).code).toBe("BadDigest");

    expect((await send(PNG_1X1)).status).toBe(204);
    expect(await s.client.head(key)).toMatchObject({
      size: PNG_1X1.length,
      contentType: "image/png",
      metadata: { "upgate-user": "user-1", "upgate-upload": "up-1" },
      checksums: { sha256: sha256b64(PNG_1X1) },
    });
  });

  it("presignPost refuses backends configured without POST uploads, and bad ranges", async () => {
    const { createStorageClient } = await import("../../../src/server/s3/s3-client.js");
    const r2 = createStorageClient({ ...s.config, supportsPost: false });
    const input = { key: "k", fields: {}, contentLengthRange: [0, 10] as [number, number], expiresIn: 60 };
    expect(await storageFailure(r2.presignPost(input))).toMatchObject({
      code: "NotImplemented",
      status: 501,
    });
    const bad = { ...input, contentLengthRange: [10, 1] as [number, number] };
    expect(await storageFailure(s.client.presignPost(bad))).toMatchObject({ code: "InvalidArgument" });
  });
});
