import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  complete,
  createUpload,
  download,
  type Harness,
  memoryLogger,
  PNG_1X1,
  postForm,
  putWith,
  signToken,
  startGateway,
} from "./support.js";

const png = { name: "a.png", type: "image/png", size: PNG_1X1.length };

describe("verified uploads are frozen and their stored headers are the gateway's", () => {
  let h: Harness;
  let token: string;
  const { logger, lines } = memoryLogger();
  beforeAll(async () => {
    h = await startGateway({
      logger,
      routes: {
        images: { types: ["image/png"], maxSize: "1MB", strategy: "put" },
        forms: { types: ["image/png"], maxSize: "1MB", strategy: "post" },
      },
    });
    token = await signToken("alice");
  });
  afterAll(async () => {
    await h.close();
  });

  it("a PNG stored with a bogus Content-Encoding is a 422 for that upload: removed, quota released, no error log", async () => {
    const put = (await createUpload(h, token, "images", png)).body.uploads[0];
    expect((await putWith(put, PNG_1X1, { ...put.headers, "content-encoding": "gzip" })).status).toBe(200);
    const before = lines.length;
    const { res, body } = await complete(h, token, put.id);
    expect(res.status).toBe(422);
    expect(body.error).toMatchObject({
      code: "VERIFY_HEADER_MISMATCH",
      details: { header: "content-encoding", actual: "gzip" },
    });
    expect(await h.gateway.storage.head(put.key)).toBeUndefined();
    expect((await h.gateway.ledger.get(put.id))?.status).toBe("rejected");
    expect(await h.gateway.ledger.usage("alice", "images", undefined, new Date())).toEqual({
      bytes: 0,
      files: 0,
    });
    const levels = lines.slice(before).map((line) => (JSON.parse(line) as { level: number }).level);
    expect(levels.every((level) => level < 50)).toBe(true);
  });

  it("a browser's own Cache-Control: no-cache (sent with If-None-Match) is accepted", async () => {
    const put = (await createUpload(h, token, "images", png)).body.uploads[0];
    expect((await putWith(put, PNG_1X1, { ...put.headers, "cache-control": "no-cache" })).status).toBe(200);
    expect((await complete(h, token, put.id)).res.status).toBe(200);
  });

  it("records the verified ETag of a PUT upload and serves it with the gateway's headers", async () => {
    const put = (await createUpload(h, token, "images", { ...png, name: "page.html" })).body.uploads[0];
    expect((await putWith(put, PNG_1X1)).status).toBe(200);
    expect((await complete(h, token, put.id)).body.upload.key).toBe(put.key);
    const head = await h.gateway.storage.head(put.key);
    expect((await h.gateway.ledger.get(put.id))?.verifiedEtag).toBe(head?.etag);
    const { redirect, file } = await download(h, token, put.id);
    const query = new URL(redirect.headers.get("location")!).searchParams;
    expect(query.get("response-cache-control")).toBe("private, no-store");
    expect(query.get("response-content-encoding")).toBe("identity");
    expect(file.headers.get("cache-control")).toBe("private, no-store");
    expect(file.headers.get("content-disposition")).toMatch(/^inline; filename="page\.html\.png"/);
  });

  it("promotes a POST upload to a fresh key with exactly the planned headers; a re-post only writes an orphan", async () => {
    const created = await createUpload(h, token, "forms", { ...png, metadata: { album: "summer" } });
    const form = created.body.uploads[0];
    expect((await postForm(form, PNG_1X1, "image/png")).status).toBe(204);
    const { res, body } = await complete(h, token, form.id);
    expect(res.status).toBe(200);
    const key: string = body.upload.key;
    expect(key).not.toBe(form.key);
    expect(key).toMatch(/^forms\/alice\/[a-z2-7]{26}\.png$/);
    expect(await h.gateway.storage.head(form.key)).toBeUndefined();
    const head = await h.gateway.storage.head(key);
    expect(head).toMatchObject({
      contentType: "image/png",
      metadata: { album: "summer", "upgate-user": "alice", "upgate-upload": form.id },
      system: {},
    });
    expect(await h.gateway.ledger.get(form.id)).toMatchObject({ key, verifiedEtag: head?.etag });

    const other = PNG_1X1.slice();
    other[other.length - 20] = (other[other.length - 20]! + 1) % 256;
    expect((await postForm(form, other, "image/png")).status).toBe(204);
    expect((await complete(h, token, form.id)).body.upload.key).toBe(key);
    const { file } = await download(h, token, form.id);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG_1X1);
    expect(await h.gateway.ledger.ownsKey(h.gateway.storage.config.bucket, form.key, ["verified"])).toBe(
      false,
    );
  });
});
