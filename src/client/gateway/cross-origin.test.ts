import { afterEach, describe, expect, it } from "vitest";
import { describeError } from "../describe.js";
import { GatewayClient } from "./client.js";

const g = globalThis as { location?: unknown };
const original = Object.getOwnPropertyDescriptor(globalThis, "location");
function onPage(origin: string): void {
  Object.defineProperty(globalThis, "location", { value: { origin }, configurable: true });
}
afterEach(() => {
  if (original) Object.defineProperty(globalThis, "location", original);
  else delete g.location;
});

const failing: typeof fetch = async () => {
  throw new TypeError("Failed to fetch");
};

describe("a gateway on another origin that fails the first call", () => {
  it("fails at once (not retryable) with a message naming CORS and both origins", async () => {
    onPage("https://app.example.com");
    const gw = new GatewayClient({ endpoint: "https://api.example.com/base", fetch: failing });
    const err = await gw.getRoutes().catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "NETWORK",
      retryable: false,
      details: { cors: true, gateway: "https://api.example.com", page: "https://app.example.com" },
    });
    expect(describeError(err)).toBe(
      "the upload server at https://api.example.com could not be reached from this page (https://app.example.com): if it is running, CORS may be the cause, so allow https://app.example.com in the gateway's cors.origins",
    );
  });

  it("is a plain, retryable network failure on the page's own origin, without a page, or once the gateway answered", async () => {
    onPage("https://app.example.com");
    const same = new GatewayClient({ endpoint: "https://app.example.com", fetch: failing });
    expect(await same.list().catch((e: unknown) => e)).toMatchObject({ code: "NETWORK", retryable: true });

    let calls = 0;
    const flaky = new GatewayClient({
      endpoint: "https://api.example.com",
      fetch: async (...args) => (++calls === 1 ? Response.json({ uploads: [] }) : failing(...args)),
    });
    await flaky.list();
    const later = await flaky.list().catch((e: unknown) => e);
    expect(later).toMatchObject({ code: "NETWORK", retryable: true });
    expect(describeError(later)).toBe("network connection lost — retrying");

    delete g.location;
    const node = new GatewayClient({ endpoint: "https://api.example.com", fetch: failing });
    expect(await node.list().catch((e: unknown) => e)).toMatchObject({ code: "NETWORK", retryable: true });
  });
});
