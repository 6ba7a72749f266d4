import { describe, vi } from "vitest";
import { gateway } from "../../../docs/examples/gateway.js";
import { server } from "../../../docs/examples/node-http.js";
import { adapterContract } from "./contract.js";
import type { FakeGateway } from "./fake-gateway.js";
import { listenOnLoopback } from "./listen.js";

vi.mock("../../../docs/examples/gateway.js", async () => ({
  gateway: (await import("./fake-gateway.js")).createFakeGateway(),
}));

describe("node:http with toNodeHandler (docs/examples/node-http.ts)", () => {
  adapterContract({
    gateway: gateway as unknown as FakeGateway,
    upgateErrors: true,
    start: () => listenOnLoopback(server),
  });
});
