import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStorageClient } from "../../../src/server/s3/s3-client.js";
import { PNG_1X1, putViaUrl, type StorageFixture, startStorage, storageFailure } from "./support.js";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("StorageClient object operations against the store", () => {
  let s: StorageFixture;
  const key = "files/user-1/hello world+1.txt";
  const body = "0123456789abcdefghij";

  beforeAll(async () => {
    s = await startStorage();
    const res = await putViaUrl(s.client, key, body, {
      "content-type": "text/plain; charset=utf-8",
      "x-amz-meta-upgate-user": "user-1",
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
  });

  it("head returns size, type, ETag, date and metadata; a missing key is undefined", async () => {
    const head = await s.client.head(key);
    expect(head).toMatchObject({
      size: body.length,
      contentType: "text/plain; charset=utf-8",
      metadata: { "upgate-user": "user-1" },
      checksums: {},
    });
    expect(head!.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(Math.abs(head!.lastModified.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await s.client.head("files/nobody.txt")).toBeUndefined();
  });

  it("getRange reads inclusive spans, clamps at the end, and is empty past it", async () => {
    expect(text(await s.client.getRange(key, 0, 3))).toBe("0123");
    expect(text(await s.client.getRange(key, 10, 14))).toBe("abcde");
    expect(text(await s.client.getRange(key, 15, 4099))).toBe("fghij");
    expect(await s.client.getRange(key, 20, 30)).toEqual(new Uint8Array(0));
    expect(await storageFailure(s.client.getRange("files/nobody.txt", 0, 9))).toMatchObject({
      code: "NoSuchKey",
      status: 404,
    });
  });

  it("getStream streams the whole object", async () => {
    const stream = await s.client.getStream(key);
    expect(await new Response(stream).text()).toBe(body);
    expect(await storageFailure(s.client.getStream("files/nobody.txt"))).toMatchObject({ code: "NoSuchKey" });
  });

  it("copy duplicates an object with its metadata (quarantine); a missing source is NoSuchKey", async () => {
    await s.client.copy(key, `quarantine/${key}`);
    expect(await s.client.head(`quarantine/${key}`)).toMatchObject({
      size: body.length,
      contentType: "text/plain; charset=utf-8",
      metadata: { "upgate-user": "user-1" },
    });
    expect(await storageFailure(s.client.copy("files/nobody.txt", "quarantine/x"))).toMatchObject({
      code: "NoSuchKey",
      status: 404,
    });
  });

  it("delete removes an object, and deleting a missing key is not an error", async () => {
    const doomed = "files/user-1/doomed.png";
    expect((await putViaUrl(s.client, doomed, PNG_1X1, { "content-type": "image/png" })).status).toBe(200);
    await s.client.delete(doomed);
    expect(await s.client.head(doomed)).toBeUndefined();
    await expect(s.client.delete(doomed)).resolves.toBeUndefined();
  });

  it("listObjects lists under a prefix, decoding url-encoded keys", async () => {
    const keys = ["list/a b.txt", "list/a+b.txt", "list/ü%.txt", "list/z/deep.txt", "listing-not-this.txt"];
    for (const k of keys)
      expect((await putViaUrl(s.client, k, k, { "content-type": "text/plain" })).status).toBe(200);
    const page = await s.client.listObjects("list/");
    expect(page.next).toBeUndefined();
    expect(page.objects.map((o) => o.key)).toEqual([
      "list/a b.txt",
      "list/a+b.txt",
      "list/z/deep.txt",
      "list/ü%.txt",
    ]);
    expect(page.objects[0]).toMatchObject({ size: "list/a b.txt".length });
    expect(page.objects[0]!.lastModified).toBeInstanceOf(Date);
    expect(Number.isNaN(page.objects[0]!.lastModified.getTime())).toBe(false);
    expect((await s.client.listObjects("nothing-here/")).objects).toEqual([]);
  });

  it("listObjects follows continuation tokens past 1000 keys", async () => {
    const many = Array.from({ length: 1003 }, (_, i) => `many/${String(i).padStart(4, "0")}`);
    for (let i = 0; i < many.length; i += 50) {
      const batch = many
        .slice(i, i + 50)
        .map((k) => putViaUrl(s.client, k, "x", { "content-type": "text/plain" }));
      for (const res of await Promise.all(batch)) expect(res.status).toBe(200);
    }
    const first = await s.client.listObjects("many/");
    expect(first.objects).toHaveLength(1000);
    expect(first.next).toBeTypeOf("string");
    const second = await s.client.listObjects("many/", first.next);
    expect(second.objects.map((o) => o.key)).toEqual(many.slice(1000));
    expect(second.next).toBeUndefined();
  });

  it("maps S3 errors: wrong secret, unknown key id, missing bucket", async () => {
    const wrongSecret = createStorageClient({
      ...s.config,
      credentials: { ...s.config.credentials, secretAccessKey: "not-the-secret" },
    });
    const sig = await storageFailure(wrongSecret.getRange(key, 0, 1));
    expect(sig).toMatchObject({ code: "SignatureDoesNotMatch", status: 403 });
    expect(sig.message).toContain("GetObject test-bucket/files/user-1/hello world+1.txt");
    // HEAD answers carry no body, so the code comes from the status.
    expect(await storageFailure(wrongSecret.head(key))).toMatchObject({ code: "Forbidden", status: 403 });
    const unknownId = createStorageClient({
      ...s.config,
      credentials: { accessKeyId: "AKIDNOBODY", secretAccessKey: "x" },
    });
    expect(await storageFailure(unknownId.listObjects(""))).toMatchObject({
      code: "InvalidAccessKeyId",
      status: 403,
    });
    const noBucket = createStorageClient({ ...s.config, bucket: "no-such-bucket" });
    expect(await storageFailure(noBucket.listObjects(""))).toMatchObject({
      code: "NoSuchBucket",
      status: 404,
    });
  });

  it("network failures are thrown with the operation named", async () => {
    const closed = createStorageClient({ ...s.config, endpoint: "http://127.0.0.1:1" });
    await expect(closed.head(key)).rejects.toThrow(
      /HeadObject test-bucket\/files\/user-1\/hello world\+1\.txt failed/,
    );
  });
});
