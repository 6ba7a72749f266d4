import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendParts } from "./signed-parts.js";
import {
  bytes,
  complete,
  createUpload,
  download,
  type Harness,
  json,
  MiB,
  PNG_1X1,
  postForm,
  putPng,
  putWith,
  sha256b64,
  signToken,
  startGateway,
} from "./support.js";

describe("the whole flow against the embedded store, over real HTTP", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startGateway({
      routes: {
        images: { types: ["image/png", "image/jpeg"], maxSize: "1MB", checksum: "required" },
        forms: { types: ["image/png"], maxSize: "1MB", strategy: "post" },
        videos: {
          types: ["application/octet-stream"],
          maxSize: "100MB",
          strategy: "multipart",
          partSize: "5MB",
        },
        pages: { types: ["text/html"], maxSize: "1MB" },
      },
    });
    token = await signToken("alice");
  });
  afterAll(async () => {
    await h.close();
  });

  it("PUT: create, upload with exactly the returned headers, complete, download byte-identical", async () => {
    const sha256 = sha256b64(PNG_1X1);
    const { res, body } = await createUpload(h, token, "images", {
      name: "dot.png",
      type: "image/png",
      size: PNG_1X1.length,
      sha256,
    });
    expect(res.status).toBe(201);
    const [put] = body.uploads;
    expect(put).toMatchObject({
      method: "PUT",
      key: expect.stringMatching(/^images\/alice\/[a-z2-7]{26}\.png$/),
    });
    expect(put.headers).toEqual({
      "content-type": "image/png",
      "content-length": String(PNG_1X1.length),
      "x-amz-checksum-sha256": sha256,
      "if-none-match": "*",
      "x-amz-meta-upgate-user": "alice",
      "x-amz-meta-upgate-upload": put.id,
    });
    const signed = new URL(put.url).searchParams.get("X-Amz-SignedHeaders")!.split(";");
    expect(signed).toEqual(expect.arrayContaining(Object.keys(put.headers)));

    expect((await putWith(put, PNG_1X1)).status).toBe(200);
    const done = await complete(h, token, put.id);
    expect(done.res.status).toBe(200);
    expect(done.body.upload).toMatchObject({
      id: put.id,
      status: "verified",
      key: put.key,
      size: PNG_1X1.length,
      type: "image/png",
      sha256,
      createdAt: expect.any(String),
    });
    // Completing again answers the same.
    const again = await complete(h, token, put.id);
    expect(again.res.status).toBe(200);
    expect(again.body).toEqual(done.body);

    const { redirect, file } = await download(h, token, put.id);
    expect(redirect.headers.get("cache-control")).toBe("no-store");
    expect(new URL(redirect.headers.get("location")!).searchParams.get("X-Amz-Expires")).toBe("60");
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toMatch(/^inline; filename="dot.png"/);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG_1X1);

    const list = await h.api("/v1/uploads?route=images&status=verified", { token });
    expect(list.status).toBe(200);
    expect((await json(list)).uploads.map((u: { id: string }) => u.id)).toContain(put.id);
  });

  it("POST: a form with the returned fields, then complete and download", async () => {
    const { res, body } = await createUpload(h, token, "forms", {
      name: "dot.png",
      type: "image/png",
      size: PNG_1X1.length,
    });
    expect(res.status).toBe(201);
    const [post] = body.uploads;
    expect(post.method).toBe("POST");
    expect(post.fields).toMatchObject({
      key: post.key,
      "Content-Type": "image/png",
      "x-amz-meta-upgate-user": "alice",
      "x-amz-meta-upgate-upload": post.id,
    });
    // One byte more than declared is outside the policy's content-length-range.
    const longer = new Uint8Array(PNG_1X1.length + 1);
    longer.set(PNG_1X1);
    expect((await postForm(post, longer, "image/png")).status).toBe(400);
    expect((await postForm(post, PNG_1X1, "image/png")).status).toBe(204);
    const done = await complete(h, token, post.id);
    expect(done.res.status).toBe(200);
    expect(done.body.upload).toMatchObject({ status: "verified", size: PNG_1X1.length });
    const { file } = await download(h, token, post.id);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG_1X1);
  });

  it("multipart: three parts of a fixed plan, resumed through /parts, completed and downloaded", async () => {
    const data = bytes(11 * MiB, 7);
    const sha256 = sha256b64(data);
    const { res, body } = await createUpload(h, token, "videos", {
      name: "clip.bin",
      type: "application/octet-stream",
      size: data.length,
      sha256,
    });
    expect(res.status).toBe(201);
    const [mp] = body.uploads;
    // A COMPOSITE SHA-256 upload: storage takes a part only with its SHA-256 signed, which no URL
    // signed at create can bind, so the answer lists none and every part's comes from POST /parts.
    expect(mp).toMatchObject({ method: "MULTIPART", partSize: 5 * MiB, partCount: 3, parts: [] });

    const slice = (n: number) => data.subarray((n - 1) * 5 * MiB, Math.min(n * 5 * MiB, data.length));
    const etags: Array<{ partNumber: number; etag: string }> = (
      await sendParts(h, token, mp, data, [1, 2])
    ).map(({ partNumber, etag }) => ({ partNumber, etag }));
    // Completing now reports the missing part and keeps the upload pending.
    const early = await complete(h, token, mp.id, { parts: etags });
    expect(early.res.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: "UPLOAD_NOT_UPLOADED", details: { missing: [3] } });

    // Resume: fresh URL for part 3, binding its SHA-256; storage already holds parts 1 and 2.
    const last = slice(3);
    const parts = await h.api(`/v1/uploads/${mp.id}/parts`, {
      token,
      body: { partNumbers: [3], sha256: { "3": sha256b64(last) } },
    });
    expect(parts.status).toBe(200);
    const fresh = await json(parts);
    expect(fresh.uploaded.map((p: { partNumber: number }) => p.partNumber)).toEqual([1, 2]);
    expect(fresh.parts[0].headers).toEqual({
      "content-length": String(MiB),
      "x-amz-checksum-sha256": sha256b64(last),
    });
    const wrong = last.slice();
    wrong[10] = (wrong[10]! + 1) % 256;
    expect((await putWith(fresh.parts[0], wrong)).status).toBe(400);
    const put3 = await putWith(fresh.parts[0], last);
    expect(put3.status).toBe(200);
    etags.push({ partNumber: 3, etag: put3.headers.get("etag")! });

    const done = await complete(h, token, mp.id, { parts: etags });
    expect(done.res.status).toBe(200);
    expect(done.body.upload).toMatchObject({ status: "verified", size: data.length, sha256 });
    const { file } = await download(h, token, mp.id);
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="clip.bin"/);
    const got = new Uint8Array(await file.arrayBuffer());
    expect(got.length).toBe(data.length);
    expect(sha256b64(got)).toBe(sha256);
  });

  it("serves user HTML as an attachment, never inline", async () => {
    const html = new TextEncoder().encode("<!doctype html><script>alert(1)</script>");
    const { body } = await createUpload(h, token, "pages", {
      name: "x.html",
      type: "text/html",
      size: html.length,
    });
    expect((await putWith(body.uploads[0], html)).status).toBe(200);
    expect((await complete(h, token, body.uploads[0].id)).res.status).toBe(200);
    const { file } = await download(h, token, body.uploads[0].id);
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="x.html"/);
  });

  it("DELETE removes a verified file: the object is gone, the row aborted, downloads refused", async () => {
    const put = await putPng(h, token, "gone.png");
    expect((await complete(h, token, put.id)).res.status).toBe(200);
    const del = await h.api(`/v1/uploads/${put.id}`, { method: "DELETE", token });
    expect(del.status).toBe(200);
    expect((await json(del)).upload).toMatchObject({ status: "aborted", reason: "DELETED" });
    expect(await h.gateway.storage.head(put.key)).toBeUndefined();
    expect((await h.api(`/v1/files/${put.id}`, { token })).status).toBe(409);
    // Deleting again changes nothing.
    expect((await h.api(`/v1/uploads/${put.id}`, { method: "DELETE", token })).status).toBe(200);
  });

  it("DELETE of a pending multipart upload aborts it in storage and releases its quota", async () => {
    const bob = await signToken("bob");
    const { body } = await createUpload(h, bob, "videos", {
      name: "never.bin",
      type: "application/octet-stream",
      size: 6 * MiB,
    });
    const mp = body.uploads[0];
    expect(await h.gateway.storage.listParts(mp.key, mp.uploadId)).toEqual([]);
    expect(await h.gateway.ledger.usage("bob", "videos", undefined, new Date())).toEqual({
      files: 1,
      bytes: 6 * MiB,
    });
    expect((await h.api(`/v1/uploads/${mp.id}`, { method: "DELETE", token: bob })).status).toBe(200);
    await expect(h.gateway.storage.listParts(mp.key, mp.uploadId)).rejects.toMatchObject({
      code: "NoSuchUpload",
    });
    expect(await h.gateway.ledger.usage("bob", "videos", undefined, new Date())).toEqual({
      files: 0,
      bytes: 0,
    });
  });
});
