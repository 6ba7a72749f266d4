import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complete, createUpload, type Harness, json, putPng, signToken, startGateway } from "./support.js";

describe("storage unreachable", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startGateway();
    token = await signToken("alice");
  });
  afterAll(async () => {
    await h.close();
  });

  it("during complete: 503 STORAGE_UNAVAILABLE, the upload stays uploaded, and a retried complete succeeds", async () => {
    const put = await putPng(h, token);

    await h.stopStorage();
    const down = await complete(h, token, put.id);
    expect(down.res.status).toBe(503);
    expect(down.body.error.code).toBe("STORAGE_UNAVAILABLE");
    expect(JSON.stringify(down.body)).not.toContain("127.0.0.1");
    expect((await h.gateway.ledger.get(put.id))?.status).toBe("uploaded");
    const health = await h.api("/healthz");
    expect(health.status).toBe(503);
    expect(await json(health)).toMatchObject({
      ok: false,
      checks: { ledger: { ok: true }, storage: { ok: false, error: "storage unreachable" } },
    });

    await h.restoreStorage();
    const retried = await complete(h, token, put.id);
    expect(retried.res.status).toBe(200);
    expect(retried.body.upload.status).toBe("verified");
    expect((await h.api("/healthz")).status).toBe(200);
  });

  it("during create of a multipart upload: 503, and nothing is reserved", async () => {
    const h2 = await startGateway({
      routes: { big: { types: ["application/octet-stream"], maxSize: "1GB", strategy: "multipart" } },
    });
    try {
      await h2.stopStorage();
      const { res, body } = await createUpload(h2, token, "big", {
        name: "b.bin",
        type: "application/octet-stream",
        size: 1,
      });
      expect(res.status).toBe(503);
      expect(body.error.code).toBe("STORAGE_UNAVAILABLE");
      expect(await h2.gateway.ledger.usage("alice", "big", undefined, new Date())).toEqual({
        bytes: 0,
        files: 0,
      });
    } finally {
      await h2.close();
    }
  });
});
