import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { gateway } from "../../../docs/examples/gateway.js";
import * as route from "../../../docs/examples/next-route.js";
import type { Echo, FakeGateway } from "./fake-gateway.js";
import { patternSha256 } from "./fake-gateway.js";

vi.mock("../../../docs/examples/gateway.js", async () => ({
  gateway: (await import("./fake-gateway.js")).createFakeGateway(),
}));

const fake = gateway as unknown as FakeGateway;
const ORIGIN = "https://app.example.com";

describe("Next.js App Router route handler (docs/examples/next-route.ts)", () => {
  it("runs on the Node runtime and exports a handler for each method the gateway answers", () => {
    expect(route.runtime).toBe("nodejs");
    for (const handler of [route.GET, route.POST, route.DELETE, route.OPTIONS]) {
      expect(typeof handler).toBe("function");
    }
  });

  it("hands the Request over unchanged, with the first x-forwarded-for entry as the client IP", async () => {
    const res = await route.POST(
      new Request(`${ORIGIN}/v1/echo?route=images`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.7, 10.0.0.1" },
        body: '{"route":"images","files":[]}',
      }),
    );
    expect(res.status).toBe(200);
    const echo = (await res.json()) as Echo;
    expect(echo).toMatchObject({
      method: "POST",
      url: `${ORIGIN}/v1/echo?route=images`,
      body: '{"route":"images","files":[]}',
      clientIp: "203.0.113.7",
    });
  });

  it("passes no client IP when no proxy header says one", async () => {
    const echo = (await (await route.GET(new Request(`${ORIGIN}/v1/echo`))).json()) as Echo;
    expect(echo.clientIp).toBeNull();
  });

  it("routes DELETE and OPTIONS to the gateway too", async () => {
    for (const handler of [route.DELETE, route.OPTIONS]) {
      const method = handler === route.DELETE ? "DELETE" : "OPTIONS";
      const echo = (await (await handler(new Request(`${ORIGIN}/v1/echo`, { method }))).json()) as Echo;
      expect(echo.method).toBe(method);
    }
  });

  it("returns the gateway's Response as is: status, cookies and a streamed body", async () => {
    const cookies = await route.GET(new Request(`${ORIGIN}/v1/cookies`));
    expect(cookies.status).toBe(201);
    expect(cookies.headers.getSetCookie()).toHaveLength(2);
    const size = 3 * 1024 * 1024;
    const large = await route.GET(new Request(`${ORIGIN}/v1/large?size=${size}`));
    const bytes = new Uint8Array(await large.arrayBuffer());
    expect(bytes.length).toBe(size);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(patternSha256(size));
    expect(fake.produced()).toBe(size);
  });
});
