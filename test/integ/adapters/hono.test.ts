import { serve } from "@hono/node-server";
import { describe, vi } from "vitest";
import { gateway } from "../../../docs/examples/gateway.js";
import { app } from "../../../docs/examples/hono.js";
import { adapterContract } from "./contract.js";
import type { FakeGateway } from "./fake-gateway.js";

vi.mock("../../../docs/examples/gateway.js", async () => ({
  gateway: (await import("./fake-gateway.js")).createFakeGateway(),
}));

async function start() {
  return new Promise<{ origin: string; close(): Promise<void> }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            if ("closeAllConnections" in server) server.closeAllConnections();
          }),
      });
    });
  });
}

describe("Hono on @hono/node-server (docs/examples/hono.ts)", () => {
  // Hono answers exceptions with its own 500; upgate's JSON errors come from the gateway itself.
  adapterContract({ gateway: gateway as unknown as FakeGateway, upgateErrors: false, start });
});
