import { describe, expect, it, vi } from "vitest";
import { app } from "../../../docs/examples/fastify.js";
import { gateway } from "../../../docs/examples/gateway.js";
import { adapterContract } from "./contract.js";
import type { FakeGateway } from "./fake-gateway.js";

vi.mock("../../../docs/examples/gateway.js", async () => ({
  gateway: (await import("./fake-gateway.js")).createFakeGateway(),
}));

async function start() {
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("fastify is not on TCP");
  return { origin: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

describe("Fastify with toNodeHandler (docs/examples/fastify.ts)", () => {
  const origin = adapterContract({ gateway: gateway as unknown as FakeGateway, upgateErrors: true, start });

  it("keeps Fastify's own routes and JSON parsing outside the gateway's scope", async () => {
    expect(await (await fetch(`${origin()}/hello`)).json()).toEqual({ hello: "from fastify" });
  });
});
