import { describe, expect, it } from "vitest";
import { routeInfo } from "../../test/support/route-info.js";
import { GatewayClient } from "./gateway/client.js";
import { memoryStateStore } from "./state/memory.js";
import { createUploader } from "./uploader.js";

const route = routeInfo({
  name: "images",
  label: "Images",
  types: [{ type: "image/png", label: "PNG", extensions: [".png"] }],
  maxSize: 1024,
  maxFiles: 2,
  partSize: 16 * 1024 * 1024,
  checksum: { mode: "optional", algorithm: "sha256" },
  public: true,
});

function counting(respond: () => Response) {
  const seen: string[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const req = new Request(input, init);
    seen.push(`${req.method} ${req.url} ${req.headers.get("authorization") ?? "-"}`);
    return respond();
  };
  return { seen, fetchImpl };
}

describe("getRoutes", () => {
  it("GatewayClient.getRoutes() GETs /v1/routes with the auth headers and returns the list", async () => {
    const { seen, fetchImpl } = counting(() => Response.json({ routes: [route] }));
    const gw = new GatewayClient({
      endpoint: "http://gw/",
      headers: { authorization: "Bearer t" },
      fetch: fetchImpl,
    });
    expect(await gw.getRoutes()).toEqual([route]);
    expect(seen).toEqual(["GET http://gw/v1/routes Bearer t"]);
  });

  it("refuses an answer that is not a route list, and passes the gateway's refusal on", async () => {
    const odd = new GatewayClient({ endpoint: "http://gw", fetch: async () => Response.json({ nope: 1 }) });
    await expect(odd.getRoutes()).rejects.toMatchObject({ code: "GATEWAY", message: /route list/ });
    const closed = new GatewayClient({
      endpoint: "http://gw",
      fetch: async () =>
        Response.json({ error: { code: "AUTH_REQUIRED", message: "sign in" } }, { status: 401 }),
    });
    await expect(closed.getRoutes()).rejects.toMatchObject({ status: 401, serverCode: "AUTH_REQUIRED" });
  });

  it("the uploader fetches the list once and keeps it; refresh fetches again", async () => {
    const { seen, fetchImpl } = counting(() => Response.json({ routes: [route] }));
    const uploader = createUploader({
      endpoint: "http://gw",
      fetch: fetchImpl,
      stateStore: memoryStateStore(),
    });
    const [a, b] = await Promise.all([uploader.getRoutes(), uploader.getRoutes()]);
    expect(a).toEqual([route]);
    expect(b).toBe(a);
    expect(await uploader.getRoutes()).toBe(a);
    expect(seen).toHaveLength(1);
    await uploader.getRoutes({ refresh: true });
    expect(seen).toHaveLength(2);
  });

  it("the uploader does not keep a failure: the next call asks again", async () => {
    let calls = 0;
    const uploader = createUploader({
      endpoint: "http://gw",
      stateStore: memoryStateStore(),
      fetch: async () =>
        ++calls === 1
          ? Response.json({ error: { code: "INTERNAL", message: "down" } }, { status: 500 })
          : Response.json({ routes: [route] }),
    });
    await expect(uploader.getRoutes()).rejects.toMatchObject({ status: 500 });
    expect(await uploader.getRoutes()).toEqual([route]);
    expect(calls).toBe(2);
  });
});
