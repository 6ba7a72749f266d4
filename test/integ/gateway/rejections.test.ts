import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  complete,
  createUpload,
  type Harness,
  PNG_1X1,
  putWith,
  signToken,
  startGateway,
} from "./support.js";

const png = { name: "a.png", type: "image/png", size: PNG_1X1.length };

/** Writes an object straight to storage, as a backend that ignores signed headers might let a client do. */
async function writeDirectly(h: Harness, key: string, body: Uint8Array, headers: Record<string, string>) {
  const signed = await h.gateway.storage.presignPut(
    key,
    { ...headers, "content-length": String(body.length) },
    60,
  );
  const res = await fetch(signed.url, { method: "PUT", headers: signed.headers, body });
  expect(res.status).toBe(200);
}

describe("rejected uploads", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startGateway({ quarantinePrefix: "quarantine/" });
    token = await signToken("alice");
  });
  afterAll(async () => {
    await h.close();
  });

  it("are moved under the quarantine prefix when one is configured", async () => {
    const html = new TextEncoder().encode("<!DOCTYPE html><html><body>not a png</body></html>");
    const put = (await createUpload(h, token, "images", { ...png, size: html.length })).body.uploads[0];
    expect((await putWith(put, html)).status).toBe(200);
    const { res } = await complete(h, token, put.id);
    expect(res.status).toBe(422);
    expect(await h.gateway.storage.head(put.key)).toBeUndefined();
    expect(await h.gateway.storage.head(`quarantine/${put.key}`)).toMatchObject({
      size: html.length,
      metadata: { "upgate-upload": put.id },
    });
  });

  it("a stored type other than the declared one is VERIFY_TYPE_MISMATCH, even where storage let it through", async () => {
    const put = (await createUpload(h, token, "images", png)).body.uploads[0];
    await writeDirectly(h, put.key, PNG_1X1, {
      "content-type": "text/html",
      "x-amz-meta-upgate-user": "alice",
      "x-amz-meta-upgate-upload": put.id,
    });
    const { res, body } = await complete(h, token, put.id);
    expect(res.status).toBe(422);
    expect(body.error).toMatchObject({
      code: "VERIFY_TYPE_MISMATCH",
      details: { expected: "image/png", actual: "text/html" },
    });
    expect(await h.gateway.storage.head(put.key)).toBeUndefined();
  });

  it("an object not written through this upload's signature is rejected but left alone", async () => {
    const put = (await createUpload(h, token, "images", png)).body.uploads[0];
    await writeDirectly(h, put.key, PNG_1X1, {
      "content-type": "image/png",
      "x-amz-meta-upgate-user": "alice",
      "x-amz-meta-upgate-upload": "someone-elses-upload",
    });
    const { res, body } = await complete(h, token, put.id);
    expect(res.status).toBe(422);
    expect(body.error.code).toBe("VERIFY_METADATA_MISMATCH");
    expect(await h.gateway.storage.head(put.key)).toMatchObject({
      metadata: { "upgate-upload": "someone-elses-upload" },
    });
    expect(await h.gateway.ledger.get(put.id)).toMatchObject({
      status: "rejected",
      reason: "VERIFY_METADATA_MISMATCH",
    });
  });

  it("user metadata the URL did not sign (kept by a store that takes unsigned x-amz-meta-*) is VERIFY_METADATA_MISMATCH, and the object is removed", async () => {
    const put = (await createUpload(h, token, "images", { ...png, metadata: { album: "summer" } })).body
      .uploads[0];
    await writeDirectly(h, put.key, PNG_1X1, { ...put.headers, "x-amz-meta-evil": "1" });
    const { res, body } = await complete(h, token, put.id);
    expect(res.status).toBe(422);
    expect(body.error).toMatchObject({
      code: "VERIFY_METADATA_MISMATCH",
      details: { name: "evil", expected: null, actual: "1" },
    });
    expect(await h.gateway.storage.head(put.key)).toBeUndefined();
    expect(await h.gateway.storage.head(`quarantine/${put.key}`)).toMatchObject({
      metadata: { evil: "1", album: "summer" },
    });
    expect(await h.gateway.ledger.get(put.id)).toMatchObject({
      status: "rejected",
      reason: "VERIFY_METADATA_MISMATCH",
    });
  });

  it("the client's own signed metadata verifies when it is all there is", async () => {
    const put = (await createUpload(h, token, "images", { ...png, metadata: { album: "summer" } })).body
      .uploads[0];
    expect((await putWith(put, PNG_1X1)).status).toBe(200);
    expect((await complete(h, token, put.id)).res.status).toBe(200);
  });

  it("release their quota: a rejected upload holds no bytes", async () => {
    const usage = await h.gateway.ledger.usage("alice", "images", undefined, new Date());
    const rows = (await h.gateway.ledger.list({ userId: "alice", route: "images", limit: 50 })).rows;
    const holding = rows.filter((r) => ["pending", "uploaded", "verified"].includes(r.status));
    expect(rows.some((r) => r.status === "rejected")).toBe(true);
    expect(usage.files).toBe(holding.length);
  });
});
