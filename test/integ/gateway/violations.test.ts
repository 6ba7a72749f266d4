import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readS3Error } from "../../support/s3-error.js";
import {
  complete,
  createUpload,
  type Harness,
  json,
  PNG_1X1,
  putWith,
  sha256b64,
  signToken,
  startGateway,
} from "./support.js";

const png = { name: "dot.png", type: "image/png", size: PNG_1X1.length };

describe("every violation is refused, by the gateway or by storage", () => {
  let h: Harness;
  let alice: string;
  beforeAll(async () => {
    h = await startGateway({
      routes: {
        images: { types: ["image/png"], maxSize: "1KB" },
        strict: { types: ["image/png"], maxSize: "1KB", checksum: "required" },
        quota: { types: ["image/png"], maxSize: "1KB", quota: { bytes: 200, files: 100, period: "day" } },
        rate: { types: ["image/png"], maxSize: "1KB", rateLimit: { perMinute: 2 } },
        hooked: {
          types: ["image/png"],
          maxSize: "1KB",
          onBeforeUpload: ({ file }) =>
            file.name.startsWith("secret") ? "secret files are not accepted" : undefined,
        },
      },
    });
    alice = await signToken("alice");
  });
  afterAll(async () => {
    await h.close();
  });

  it("a declared type the route does not allow is 400, and nothing is signed or reserved", async () => {
    const { res, body } = await createUpload(h, alice, "images", {
      ...png,
      name: "page.html",
      type: "text/html",
    });
    expect(res.status).toBe(400);
    expect(body.error).toMatchObject({ code: "POLICY_TYPE_NOT_ALLOWED" });
    expect(body.error.details.problems).toEqual([expect.objectContaining({ index: 0, name: "page.html" })]);
    expect(await h.gateway.ledger.usage("alice", "images", undefined, new Date())).toEqual({
      bytes: 0,
      files: 0,
    });
  });

  it("a declared size over the maximum is 413; one bad file among good ones signs nothing", async () => {
    const res = await h.api("/v1/uploads", {
      token: alice,
      body: {
        route: "images",
        files: [png, { ...png, name: "big.png", size: 2048 }, { ...png, type: "text/plain" }],
      },
    });
    expect(res.status).toBe(413);
    const body = await json(res);
    expect(body.error.code).toBe("POLICY_TOO_LARGE");
    expect(body.error.details.problems.map((p: { code: string }) => p.code)).toEqual([
      "POLICY_TOO_LARGE",
      "POLICY_TYPE_NOT_ALLOWED",
    ]);
    expect((await h.gateway.ledger.list({ userId: "alice", route: "images", limit: 10 })).rows).toEqual([]);
  });

  it("a missing required checksum is 400 POLICY_CHECKSUM_REQUIRED", async () => {
    const { res, body } = await createUpload(h, alice, "strict", png);
    expect(res.status).toBe(400);
    expect(body.error.code).toBe("POLICY_CHECKSUM_REQUIRED");
  });

  it("an unknown route is 404 ROUTE_NOT_FOUND, and 401 without credentials (names are not disclosed)", async () => {
    expect((await createUpload(h, alice, "nope", png)).res.status).toBe(404);
    const anonymous = await h.api("/v1/uploads", { body: { route: "nope", files: [png] } });
    expect(anonymous.status).toBe(401);
  });

  it("uploading another size, type or bytes than signed is refused by storage; complete then says not uploaded", async () => {
    const { body } = await createUpload(h, alice, "strict", { ...png, sha256: sha256b64(PNG_1X1) });
    const put = body.uploads[0];
    const longer = new Uint8Array(PNG_1X1.length + 1);
    longer.set(PNG_1X1);
    const wrongSize = await readS3Error(
      await putWith(put, longer, { ...put.headers, "content-length": String(longer.length) }),
    );
    expect([wrongSize.status, wrongSize.code]).toEqual([403, "SignatureDoesNotMatch"]);
    const wrongType = await readS3Error(
      await putWith(put, PNG_1X1, { ...put.headers, "content-type": "text/html" }),
    );
    expect([wrongType.status, wrongType.code]).toEqual([403, "SignatureDoesNotMatch"]);
    const other = PNG_1X1.slice();
    other[50] = (other[50]! + 1) % 256;
    const wrongBytes = await readS3Error(await putWith(put, other));
    expect([wrongBytes.status, wrongBytes.code]).toEqual([400, "BadDigest"]);

    const early = await complete(h, alice, put.id);
    expect(early.res.status).toBe(409);
    expect(early.body.error.code).toBe("UPLOAD_NOT_UPLOADED");
    // The upload stays usable: the right bytes, then complete, succeed.
    expect((await putWith(put, PNG_1X1)).status).toBe(200);
    expect((await complete(h, alice, put.id)).res.status).toBe(200);
  });

  it("a second PUT with the same URL is 412 from storage", async () => {
    const { body } = await createUpload(h, alice, "images", png);
    const put = body.uploads[0];
    expect((await putWith(put, PNG_1X1)).status).toBe(200);
    const replay = await readS3Error(await putWith(put, PNG_1X1));
    expect([replay.status, replay.code]).toEqual([412, "PreconditionFailed"]);
  });

  it("HTML bytes declared image/png are 422 VERIFY_CONTENT_MISMATCH, the object deleted, the answer repeatable", async () => {
    const html = new TextEncoder().encode(
      "<html><body><script>alert(document.cookie)</script></body></html>",
    );
    const { body } = await createUpload(h, alice, "images", { ...png, size: html.length });
    const put = body.uploads[0];
    expect((await putWith(put, html)).status).toBe(200);
    const first = await complete(h, alice, put.id);
    expect(first.res.status).toBe(422);
    expect(first.body.error).toMatchObject({
      code: "VERIFY_CONTENT_MISMATCH",
      details: { declared: "image/png" },
    });
    expect(await h.gateway.storage.head(put.key)).toBeUndefined();
    const row = await h.gateway.ledger.get(put.id);
    expect(row).toMatchObject({ status: "rejected", reason: "VERIFY_CONTENT_MISMATCH" });
    const second = await complete(h, alice, put.id);
    expect(second.res.status).toBe(422);
    expect(second.body.error.code).toBe("VERIFY_CONTENT_MISMATCH");
    expect((await h.api(`/v1/files/${put.id}`, { token: alice })).status).toBe(409);
  });

  it("someone else's upload is 404 for complete, parts, delete and download; their list is their own", async () => {
    const { body } = await createUpload(h, alice, "images", png);
    const id = body.uploads[0].id;
    await putWith(body.uploads[0], PNG_1X1);
    const mallory = await signToken("mallory");
    const attempts = [
      h.api(`/v1/uploads/${id}/complete`, { method: "POST", token: mallory }),
      h.api(`/v1/uploads/${id}/parts`, { token: mallory, body: { partNumbers: [1] } }),
      h.api(`/v1/uploads/${id}`, { method: "DELETE", token: mallory }),
      h.api(`/v1/files/${id}`, { token: mallory }),
      h.api("/v1/uploads/doesnotexist/complete", { method: "POST", token: mallory }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect((await json(res)).error.code).toBe("UPLOAD_NOT_FOUND");
    }
    expect((await json(await h.api("/v1/uploads", { token: mallory }))).uploads).toEqual([]);
    expect((await h.gateway.ledger.get(id))?.status).toBe("pending");
  });

  it("over quota is 429 QUOTA_EXCEEDED with Retry-After and the usage", async () => {
    const first = await createUpload(h, alice, "quota", { ...png, size: 150 });
    expect(first.res.status).toBe(201);
    const { res, body } = await createUpload(h, alice, "quota", { ...png, size: 100 });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("86400");
    expect(body.error).toMatchObject({
      code: "QUOTA_EXCEEDED",
      details: { used: { bytes: 150, files: 1 }, limit: { bytes: 200 }, requested: { bytes: 100, files: 1 } },
    });
    // Deleting the first upload releases its bytes.
    expect(
      (await h.api(`/v1/uploads/${first.body.uploads[0].id}`, { method: "DELETE", token: alice })).status,
    ).toBe(200);
    expect((await createUpload(h, alice, "quota", { ...png, size: 100 })).res.status).toBe(201);
  });

  it("over the rate is 429 RATE_LIMITED with Retry-After, per user", async () => {
    expect((await createUpload(h, alice, "rate", png)).res.status).toBe(201);
    expect((await createUpload(h, alice, "rate", png)).res.status).toBe(201);
    const { res, body } = await createUpload(h, alice, "rate", png);
    expect(res.status).toBe(429);
    expect(body.error.code).toBe("RATE_LIMITED");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(30);
    expect((await createUpload(h, await signToken("bob"), "rate", png)).res.status).toBe(201);
  });

  it("onBeforeUpload can reject with a message: 403 HOOK_REJECTED, nothing signed", async () => {
    const res = await h.api("/v1/uploads", {
      token: alice,
      body: { route: "hooked", files: [png, { ...png, name: "secret.png" }] },
    });
    expect(res.status).toBe(403);
    const body = await json(res);
    expect(body.error).toMatchObject({ code: "HOOK_REJECTED", message: "secret files are not accepted" });
    expect(body.error.details.problems).toEqual([expect.objectContaining({ index: 1, name: "secret.png" })]);
    expect((await h.gateway.ledger.list({ userId: "alice", route: "hooked", limit: 10 })).rows).toEqual([]);
  });
});
