import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStorageClient } from "../../../src/server/storage/s3-client.js";
import type { StorageClient } from "../../../src/server/storage/types.js";
import { type VerifyExpectation, verifyObject } from "../../../src/server/verify/index.js";
import { PNG_1X1, putViaUrl, type StorageFixture, sha256b64, startStorage } from "./support.js";

const META = { "upgate-user": "user-1", "upgate-upload": "up-1" };
const META_HEADERS = { "x-amz-meta-upgate-user": "user-1", "x-amz-meta-upgate-upload": "up-1" };
const HTML = new TextEncoder().encode(
  `<!doctype html><script>alert(document.cookie)</script>${" ".repeat(20)}`,
);
/** The start of a Windows PE file ("MZ" header); file-type reports application/x-msdownload. */
const EXE = Uint8Array.from([
  0x4d,
  0x5a,
  0x90,
  0,
  3,
  0,
  0,
  0,
  4,
  0,
  0,
  0,
  0xff,
  0xff,
  0,
  0,
  ...new Array(112).fill(0),
]);

const expectation = (key: string, over: Partial<VerifyExpectation> = {}): VerifyExpectation => ({
  key,
  size: PNG_1X1.length,
  type: "image/png",
  sha256: sha256b64(PNG_1X1),
  metadata: { ...META },
  sniff: true,
  ...over,
});

/** A fetch that drops x-amz-checksum-* from HEAD answers, as Ceph RGW 16 does (it never returns them). */
function cephLikeFetch(): { fetch: typeof fetch; heads: number } {
  const state = { heads: 0 };
  const wrapped = (async (input: string | URL | Request, init?: RequestInit) => {
    const res = await fetch(input, init);
    if ((init?.method ?? "GET") !== "HEAD") return res;
    state.heads++;
    const headers = new Headers(res.headers);
    for (const name of [...headers.keys()]) if (name.startsWith("x-amz-checksum-")) headers.delete(name);
    return new Response(null, { status: res.status, statusText: res.statusText, headers });
  }) as typeof fetch;
  return {
    fetch: wrapped,
    get heads() {
      return state.heads;
    },
  };
}

describe("verifyObject against the store", () => {
  let s: StorageFixture;
  let put: (key: string, body: Uint8Array, headers?: Record<string, string>) => Promise<void>;

  beforeAll(async () => {
    s = await startStorage();
    put = async (key, body, headers = {}) => {
      const res = await putViaUrl(s.client, key, body, headers);
      expect(res.status).toBe(200);
    };
    await put("ok/good.png", PNG_1X1, {
      "content-type": "image/png",
      "x-amz-checksum-sha256": sha256b64(PNG_1X1),
      ...META_HEADERS,
    });
  });
  afterAll(async () => {
    await s.close();
  });

  it("a good PNG passes, with the checksum verified by storage and the type sniffed", async () => {
    expect(await verifyObject(s.client, expectation("ok/good.png"))).toEqual({
      ok: true,
      size: PNG_1X1.length,
      type: "image/png",
      etag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
      checksumVerifiedBy: "storage",
      checksum: sha256b64(PNG_1X1),
      detectedType: "image/png",
    });
  });

  it("a missing object is UPLOAD_NOT_UPLOADED", async () => {
    const result = await verifyObject(s.client, expectation("ok/never-uploaded.png"));
    expect(result).toMatchObject({
      ok: false,
      code: "UPLOAD_NOT_UPLOADED",
      details: { key: "ok/never-uploaded.png" },
    });
  });

  it("a different size is VERIFY_SIZE_MISMATCH", async () => {
    const result = await verifyObject(s.client, expectation("ok/good.png", { size: PNG_1X1.length + 1 }));
    expect(result).toMatchObject({
      ok: false,
      code: "VERIFY_SIZE_MISMATCH",
      details: { expected: PNG_1X1.length + 1, actual: PNG_1X1.length },
    });
  });

  it("a different stored content type is VERIFY_TYPE_MISMATCH; case and parameters do not matter", async () => {
    await put("type/jpeg-header.png", PNG_1X1, { "content-type": "image/jpeg", ...META_HEADERS });
    expect(await verifyObject(s.client, expectation("type/jpeg-header.png"))).toMatchObject({
      ok: false,
      code: "VERIFY_TYPE_MISMATCH",
      details: { expected: "image/png", actual: "image/jpeg" },
    });
    await put("type/params.png", PNG_1X1, { "content-type": "Image/PNG; foo=bar", ...META_HEADERS });
    expect(await verifyObject(s.client, expectation("type/params.png"))).toMatchObject({
      ok: true,
      type: "image/png",
    });
  });

  it("HTML bytes declared as image/png are VERIFY_CONTENT_MISMATCH, and pass only with sniffing off", async () => {
    await put("content/html.png", HTML, { "content-type": "image/png", ...META_HEADERS });
    const declared = { size: HTML.length, sha256: sha256b64(HTML) };
    expect(await verifyObject(s.client, expectation("content/html.png", declared))).toEqual({
      ok: false,
      code: "VERIFY_CONTENT_MISMATCH",
      message: "the bytes do not start with a image/png signature",
      details: { declared: "image/png", detected: null, rule: "signature" },
    });
    expect(
      await verifyObject(s.client, expectation("content/html.png", { ...declared, sniff: false })),
    ).toMatchObject({
      ok: true,
    });
  });

  it("a PNG declared as JPEG, and an executable declared as text/plain, are VERIFY_CONTENT_MISMATCH", async () => {
    await put("content/png.jpg", PNG_1X1, { "content-type": "image/jpeg", ...META_HEADERS });
    expect(
      await verifyObject(s.client, expectation("content/png.jpg", { type: "image/jpeg" })),
    ).toMatchObject({
      ok: false,
      code: "VERIFY_CONTENT_MISMATCH",
      details: { declared: "image/jpeg", detected: "image/png" },
    });
    await put("content/readme.txt", EXE, { "content-type": "text/plain", ...META_HEADERS });
    const exe = { type: "text/plain", size: EXE.length, sha256: sha256b64(EXE) };
    expect(await verifyObject(s.client, expectation("content/readme.txt", exe))).toMatchObject({
      ok: false,
      code: "VERIFY_CONTENT_MISMATCH",
      details: { declared: "text/plain", detected: "application/x-msdownload", rule: "text" },
    });
    const text = new TextEncoder().encode("just some notes\n");
    await put("content/notes.txt", text, { "content-type": "text/plain", ...META_HEADERS });
    const notes = { type: "text/plain", size: text.length, sha256: sha256b64(text) };
    expect(await verifyObject(s.client, expectation("content/notes.txt", notes))).toMatchObject({ ok: true });
  });

  it("a declared checksum the stored bytes do not have is VERIFY_CHECKSUM_MISMATCH (storage's hash)", async () => {
    const wrong = sha256b64("something else");
    expect(await verifyObject(s.client, expectation("ok/good.png", { sha256: wrong }))).toEqual({
      ok: false,
      code: "VERIFY_CHECKSUM_MISMATCH",
      message: "the stored bytes do not have the declared SHA-256",
      details: { expected: wrong, actual: sha256b64(PNG_1X1), checksumVerifiedBy: "storage" },
    });
  });

  it("metadata other than what was signed is VERIFY_METADATA_MISMATCH", async () => {
    await put("meta/other-user.png", PNG_1X1, {
      "content-type": "image/png",
      "x-amz-meta-upgate-user": "mallory",
      "x-amz-meta-upgate-upload": "up-1",
    });
    expect(await verifyObject(s.client, expectation("meta/other-user.png"))).toMatchObject({
      ok: false,
      code: "VERIFY_METADATA_MISMATCH",
      details: { name: "upgate-user", expected: "user-1", actual: "mallory" },
    });
    await put("meta/none.png", PNG_1X1, { "content-type": "image/png" });
    expect(await verifyObject(s.client, expectation("meta/none.png"))).toMatchObject({
      ok: false,
      code: "VERIFY_METADATA_MISMATCH",
      details: { name: "upgate-user", actual: null },
    });
  });

  it("without a declared checksum nothing is hashed and no checksum path is reported", async () => {
    const result = await verifyObject(s.client, expectation("ok/good.png", { sha256: undefined }));
    expect(result).toMatchObject({ ok: true });
    expect(result).not.toHaveProperty("checksumVerifiedBy");
  });

  describe("when storage returns no checksum (Ceph RGW 16), the gateway hashes the object", () => {
    let ceph: ReturnType<typeof cephLikeFetch>;
    let client: StorageClient;
    beforeAll(() => {
      ceph = cephLikeFetch();
      client = createStorageClient(s.config, { fetch: ceph.fetch });
    });

    it("a matching object passes, verified by the gateway", async () => {
      expect((await client.head("ok/good.png"))!.checksums).toEqual({});
      const before = ceph.heads;
      expect(await verifyObject(client, expectation("ok/good.png"))).toMatchObject({
        ok: true,
        checksumVerifiedBy: "gateway",
        detectedType: "image/png",
      });
      expect(ceph.heads).toBe(before + 1);
    });

    it("bytes other than declared are caught by the gateway's hash", async () => {
      // Stored without any checksum header: nothing checked it on the way in.
      const other = PNG_1X1.slice();
      other[PNG_1X1.length - 5] = 0xff - PNG_1X1[PNG_1X1.length - 5]!;
      await put("ceph/tampered.png", other, { "content-type": "image/png", ...META_HEADERS });
      expect(await verifyObject(client, expectation("ceph/tampered.png"))).toMatchObject({
        ok: false,
        code: "VERIFY_CHECKSUM_MISMATCH",
        details: { expected: sha256b64(PNG_1X1), actual: sha256b64(other), checksumVerifiedBy: "gateway" },
      });
    });
  });

  it("a multipart object (no full-object sha256 in storage) is hashed by the gateway", async () => {
    const key = "multipart/whole.png";
    const uploadId = await s.client.createMultipart(key, { "content-type": "image/png", ...META_HEADERS });
    const signed = await s.client.presignPart(
      key,
      uploadId,
      1,
      { "content-length": String(PNG_1X1.length) },
      60,
    );
    const res = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: PNG_1X1 });
    expect(res.status).toBe(200);
    await s.client.completeMultipart(key, uploadId, [{ partNumber: 1, etag: res.headers.get("etag")! }], {
      ifNoneMatch: true,
    });
    expect(await verifyObject(s.client, expectation(key))).toMatchObject({
      ok: true,
      checksumVerifiedBy: "gateway",
    });
  });
});
