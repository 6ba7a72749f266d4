import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUploader } from "../../../src/client/index.js";
import { type Harness, PNG_1X1, signToken, startGateway } from "../gateway/support.js";
import { routedFetch } from "./support/fake-gateway.js";

/**
 * The create answer is lost after the gateway reserved (the connection resets on the way back): the
 * client's retry must carry the same Idempotency-Key and end with the one upload the gateway made.
 */
describe("client: a create whose answer was lost", () => {
  let h: Harness;
  let token: string;
  const endpoint = "http://gateway.test";

  beforeAll(async () => {
    h = await startGateway({
      routes: {
        // Room for one PNG only: a second reservation would be refused with QUOTA_EXCEEDED.
        images: { types: ["image/png"], maxSize: "1MB", quota: { bytes: PNG_1X1.length } },
      },
    });
    token = await signToken("dave");
  });
  afterAll(async () => {
    await h.close();
  });

  it("retries with the same Idempotency-Key and ends with one upload, holding the quota once", async () => {
    const keys: Array<string | null> = [];
    let dropped = 0;
    const gatewayFetch = async (req: Request): Promise<Response> => {
      const creating = req.method === "POST" && new URL(req.url).pathname === "/v1/uploads";
      if (creating) keys.push(req.headers.get("idempotency-key"));
      const res = await h.gateway.fetch(req, { clientIp: "192.0.2.8" });
      if (creating && dropped === 0) {
        dropped++;
        expect(res.status).toBe(201);
        throw new TypeError("fetch failed: connection reset");
      }
      return res;
    };
    const retries: string[] = [];
    const uploader = createUploader({
      endpoint,
      headers: async () => ({ authorization: `Bearer ${token}` }),
      fetch: routedFetch({ endpoint, fetch: gatewayFetch }),
      sleep: async () => {},
    });

    const [record] = await uploader.upload(new File([PNG_1X1], "dot.png", { type: "image/png" }), {
      route: "images",
      onRetry: (info) => retries.push((info.error as { code: string }).code),
    });

    expect(dropped).toBe(1);
    expect(retries).toEqual(["NETWORK"]);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(record).toMatchObject({ status: "verified", size: PNG_1X1.length });
    const listed = await h.gateway.ledger.list({ userId: "dave", limit: 10 });
    expect(listed.rows.map((row) => [row.id, row.status])).toEqual([[record!.id, "verified"]]);
    expect(await h.gateway.ledger.usage("dave", "images", undefined, new Date())).toEqual({
      bytes: PNG_1X1.length,
      files: 1,
    });
  });

  it("each createUploads call draws a new key", async () => {
    const keys: Array<string | null> = [];
    const uploader = createUploader({
      endpoint,
      headers: async () => ({ authorization: `Bearer ${token}` }),
      fetch: routedFetch({
        endpoint,
        fetch: (req) => {
          if (req.method === "POST" && new URL(req.url).pathname === "/v1/uploads") {
            keys.push(req.headers.get("idempotency-key"));
          }
          return h.gateway.fetch(req, { clientIp: "192.0.2.8" });
        },
      }),
      sleep: async () => {},
    });
    // Both are refused for quota (dave's is full); each is still a separate request with its own key.
    const file = () => new File([PNG_1X1], "again.png", { type: "image/png" });
    await expect(uploader.upload(file(), { route: "images" })).rejects.toMatchObject({ code: "GATEWAY" });
    await expect(uploader.upload(file(), { route: "images" })).rejects.toMatchObject({ code: "GATEWAY" });
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
