import { describe, expect, it } from "vitest";
import { GatewayClient } from "./client.js";
import { newIdempotencyKey } from "./idempotency-key.js";

function recorder(respond: (req: Request) => Response | Promise<Response>) {
  const seen: Request[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const req = new Request(input, init);
    seen.push(req.clone());
    return respond(req);
  };
  return { seen, fetchImpl };
}

describe("GatewayClient", () => {
  it("sends JSON to the /v1 paths with fresh headers per request", async () => {
    let token = 0;
    const { seen, fetchImpl } = recorder(() => Response.json({ parts: [], uploaded: [], expiresAt: "x" }));
    const gw = new GatewayClient({
      endpoint: "https://api.example.com/base/",
      headers: async () => ({ authorization: `Bearer t${++token}` }),
      fetch: fetchImpl,
    });
    await gw.parts("id/1", { partNumbers: [2] });
    await gw.complete("id/1", {});
    expect(
      seen.map((r) => [r.method, r.url, r.headers.get("authorization"), r.headers.get("content-type")]),
    ).toEqual([
      ["POST", "https://api.example.com/base/v1/uploads/id%2F1/parts", "Bearer t1", "application/json"],
      ["POST", "https://api.example.com/base/v1/uploads/id%2F1/complete", "Bearer t2", "application/json"],
    ]);
    expect(await seen[0]!.json()).toEqual({ partNumbers: [2] });
  });

  it("sends createUploads' idempotency key as Idempotency-Key, and no such header without one", async () => {
    const { seen, fetchImpl } = recorder(() => Response.json({ uploads: [] }));
    const gw = new GatewayClient({ endpoint: "http://gw", headers: { "x-api-key": "k" }, fetch: fetchImpl });
    const body = { route: "images", files: [] };
    await gw.createUploads(body, undefined, { idempotencyKey: "abc123" });
    await gw.createUploads(body);
    expect(seen.map((r) => [r.headers.get("idempotency-key"), r.headers.get("x-api-key")])).toEqual([
      ["abc123", "k"],
      [null, "k"],
    ]);
  });

  it("newIdempotencyKey() gives 128 random bits as 32 hex digits, different each call", () => {
    const keys = Array.from({ length: 50 }, () => newIdempotencyKey());
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("handles 204, list queries and file URLs", async () => {
    const { seen, fetchImpl } = recorder((req) =>
      req.method === "DELETE" ? new Response(null, { status: 204 }) : Response.json({ uploads: [] }),
    );
    const gw = new GatewayClient({ endpoint: "http://gw", headers: { "x-api-key": "k" }, fetch: fetchImpl });
    await expect(gw.abort("u1")).resolves.toBeUndefined();
    await gw.list({ route: "images", status: "verified" });
    expect(seen.map((r) => `${r.method} ${r.url} ${r.headers.get("x-api-key")}`)).toEqual([
      "DELETE http://gw/v1/uploads/u1 k",
      "GET http://gw/v1/uploads?route=images&status=verified k",
    ]);
    expect(gw.fileUrl("a b")).toBe("http://gw/v1/files/a%20b");
  });

  it("sends an anonymous upload's capability on its parts, complete and abort calls, and nowhere else", async () => {
    const upload = {
      id: "anon-1",
      key: "k",
      expiresAt: "x",
      method: "PUT",
      url: "u",
      headers: {},
      capability: "upc_secret",
      downloadToken: "upd_share",
    };
    const { seen, fetchImpl } = recorder((req) =>
      req.url.endsWith("/v1/uploads") && req.method === "POST"
        ? Response.json({ uploads: [upload, { ...upload, id: "signed-in", capability: undefined }] })
        : Response.json({ parts: [], uploaded: [], expiresAt: "x" }),
    );
    const gw = new GatewayClient({ endpoint: "http://gw", fetch: fetchImpl });
    await gw.createUploads({ route: "open", files: [] });
    await gw.parts("anon-1", { partNumbers: [1] });
    await gw.complete("anon-1", {});
    await gw.abort("anon-1");
    await gw.complete("signed-in", {});
    await gw.list();
    expect(seen.map((r) => `${r.method} ${r.url} ${r.headers.get("upgate-capability")}`)).toEqual([
      "POST http://gw/v1/uploads null",
      "POST http://gw/v1/uploads/anon-1/parts upc_secret",
      "POST http://gw/v1/uploads/anon-1/complete upc_secret",
      "DELETE http://gw/v1/uploads/anon-1 upc_secret",
      "POST http://gw/v1/uploads/signed-in/complete null",
      "GET http://gw/v1/uploads null",
    ]);
    // The file URL is a shareable link: the read-only token, never the capability.
    expect(gw.fileUrl("anon-1")).toBe("http://gw/v1/files/anon-1?token=upd_share");
    expect(gw.fileUrl("signed-in")).toBe("http://gw/v1/files/signed-in");
    gw.remember("resumed", { capability: "upc_saved" });
    await gw.complete("resumed", {});
    expect(seen.at(-1)!.headers.get("upgate-capability")).toBe("upc_saved");
  });

  it("turns failures into UploadErrors", async () => {
    const down = new GatewayClient({
      endpoint: "http://gw",
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    });
    await expect(down.list()).rejects.toMatchObject({ code: "NETWORK", retryable: true });
    const refusing = new GatewayClient({
      endpoint: "http://gw",
      fetch: async () =>
        Response.json({ error: { code: "AUTH_REQUIRED", message: "sign in" } }, { status: 401 }),
    });
    await expect(refusing.list()).rejects.toMatchObject({
      code: "GATEWAY",
      status: 401,
      serverCode: "AUTH_REQUIRED",
    });
    const garbled = new GatewayClient({ endpoint: "http://gw", fetch: async () => new Response("{oops") });
    await expect(garbled.list()).rejects.toMatchObject({ code: "GATEWAY", status: 200 });
    const aborted = new AbortController();
    aborted.abort();
    const slow = new GatewayClient({
      endpoint: "http://gw",
      fetch: (_input, init) => fetch("http://127.0.0.1:9", init),
    });
    await expect(slow.list({}, aborted.signal)).rejects.toMatchObject({ code: "ABORTED" });
  });
});
