import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryStateStore } from "../../../src/client/state/memory.js";
import { createUploader } from "../../../src/client/uploader.js";
import { type Harness, json, PNG_1X1, signToken, startGateway } from "./support.js";

const MiB = 1024 * 1024;
const png = { name: "a.png", type: "image/png", size: PNG_1X1.length };

describe("GET /v1/routes", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startGateway({
      routes: {
        images: {
          label: "Images",
          types: ["image/png", "image/jpeg"],
          maxSize: "1MB",
          key: "private/{random}",
        },
        open: {
          label: "Guest drop",
          types: ["image/*"],
          maxSize: "2MB",
          maxFiles: 1,
          public: true,
          expiresIn: "2m",
          checksum: "required",
        },
        anything: { types: ["*/*"], maxSize: "5GB", strategy: "multipart", partSize: "8MB" },
      },
    });
    token = await signToken("alice");
  });
  afterAll(async () => {
    await h.close();
  });

  it("without credentials lists only the public routes, and needs none", async () => {
    const res = await h.api("/v1/routes");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await json(res);
    expect(body).toEqual({
      routes: [
        {
          name: "open",
          label: "Guest drop",
          types: [
            { type: "image/*", label: "Any image", extensions: expect.arrayContaining([".png", ".jpg"]) },
          ],
          maxSize: 2 * MiB,
          minSize: 0,
          maxFiles: 1,
          strategy: "auto",
          multipartThreshold: 64 * MiB,
          partSize: 16 * MiB,
          checksum: { mode: "required", algorithm: "sha256" },
          urlLifetime: 120,
          public: true,
        },
      ],
    });
  });

  it("a signed-in caller sees every route in config order, with nothing of keys or hooks", async () => {
    const res = await h.api("/v1/routes", { token });
    expect(res.status).toBe(200);
    const { routes } = await json(res);
    expect(routes.map((r: { name: string }) => r.name)).toEqual(["images", "open", "anything"]);
    expect(routes[0]).toMatchObject({
      label: "Images",
      types: [
        { type: "image/png", label: "PNG", extensions: [".png"] },
        { type: "image/jpeg", label: "JPEG", extensions: [".jpg", ".jpeg", ".jpe"] },
      ],
      maxSize: MiB,
      maxFiles: 10,
      public: false,
      checksum: { mode: "optional", algorithm: "sha256" },
      urlLifetime: 300,
    });
    expect(routes[2]).toMatchObject({
      label: "anything",
      types: [{ type: "*/*", label: "Any file", extensions: [] }],
      maxSize: 5 * 1024 * MiB,
      strategy: "multipart",
      partSize: 8 * MiB,
    });
    expect(JSON.stringify(routes)).not.toContain("private/");
  });

  it("an anonymous caller may not use the routes it is not shown: create agrees with the list", async () => {
    const listed = await json(await h.api("/v1/routes"));
    expect(listed.routes.map((r: { name: string }) => r.name)).not.toContain("images");
    const refused = await h.api("/v1/uploads", { body: { route: "images", files: [png] } });
    expect(refused.status).toBe(401);
    expect((await json(refused)).error.code).toBe("AUTH_REQUIRED");
    const withToken = await h.api("/v1/uploads", { token, body: { route: "images", files: [png] } });
    expect(withToken.status).toBe(201);
  });

  it("invalid credentials are refused as on create, never downgraded to the public list", async () => {
    const res = await h.api("/v1/routes", { token: "not.a.jwt" });
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe("AUTH_INVALID");
    expect(text).not.toContain("not.a.jwt");
  });

  it("only GET: other methods are 405", async () => {
    const res = await h.api("/v1/routes", { method: "POST", body: {}, token });
    expect(res.status).toBe(405);
    expect((await json(res)).error.code).toBe("METHOD_NOT_ALLOWED");
  });

  it("the client's getRoutes() reads the same list, anonymous or signed in", async () => {
    const through: typeof fetch = (input, init) => h.gateway.fetch(new Request(input, init));
    const guest = createUploader({
      endpoint: "http://gateway.test",
      fetch: through,
      stateStore: memoryStateStore(),
    });
    expect((await guest.getRoutes()).map((r) => r.name)).toEqual(["open"]);
    const alice = createUploader({
      endpoint: "http://gateway.test",
      headers: { authorization: `Bearer ${token}` },
      fetch: through,
      stateStore: memoryStateStore(),
    });
    expect((await alice.getRoutes()).map((r) => r.name)).toEqual(["images", "open", "anything"]);
  });
});

describe("GET /v1/routes on a gateway without public routes", () => {
  it("is 401 AUTH_REQUIRED without credentials, like every private endpoint", async () => {
    const h = await startGateway();
    try {
      const res = await h.api("/v1/routes");
      expect(res.status).toBe(401);
      expect((await json(res)).error.code).toBe("AUTH_REQUIRED");
      const ok = await h.api("/v1/routes", { token: await signToken("bob") });
      expect((await json(ok)).routes.map((r: { name: string }) => r.name)).toEqual(["images"]);
    } finally {
      await h.close();
    }
  });
});
