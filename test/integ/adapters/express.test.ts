import { createServer } from "node:http";
import { describe, expect, it, vi } from "vitest";
import { app } from "../../../docs/examples/express.js";
import { gateway } from "../../../docs/examples/gateway.js";
import { adapterContract } from "./contract.js";
import type { Echo, FakeGateway } from "./fake-gateway.js";
import { listenOnLoopback } from "./listen.js";

vi.mock("../../../docs/examples/gateway.js", async () => ({
  gateway: (await import("./fake-gateway.js")).createFakeGateway(),
}));

describe("Express with toNodeHandler (docs/examples/express.ts)", () => {
  // The example mounts express.json() first, so the contract's JSON echo goes through re-serialization.
  const origin = adapterContract({
    gateway: gateway as unknown as FakeGateway,
    upgateErrors: true,
    start: () => listenOnLoopback(createServer(app)),
  });

  it("leaves the app's own routes to Express and passes unparsed bodies through as sent", async () => {
    expect(await (await fetch(`${origin()}/hello`)).json()).toEqual({ hello: "from express" });
    const res = await fetch(`${origin()}/v1/echo`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "  not json, not parsed  ",
    });
    const echo = (await res.json()) as Echo;
    expect(echo.body).toBe("  not json, not parsed  ");
    expect(new Map(echo.headers).get("content-type")).toBe("text/plain");
  });
});
