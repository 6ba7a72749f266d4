import { describe, expect, it, vi } from "vitest";
import { hs256Token, useLocalGateways } from "../../test/support/local-gateway.js";
import type { UpgateConfig } from "./config/types.js";
import type { Gateway } from "./gateway.js";
import type { Reply } from "./http/respond.js";
import { type Incoming, requestContext, type ServeIncoming, serveIncomingOf } from "./incoming.js";

const SECRET = "incoming-test-secret-0123456789abcdef";
const BODY = JSON.stringify({ route: "images", files: [{ name: "a.png", type: "image/png", size: 10 }] });

const localGateway = useLocalGateways();

function gateway(routes: UpgateConfig["routes"]): { g: Gateway; direct: ServeIncoming } {
  const g = localGateway({ auth: { jwt: { secret: SECRET } }, routes });
  return { g, direct: serveIncomingOf(g)! };
}

const token = () => hs256Token(SECRET, "alice");

async function incoming(build: () => Request): Promise<Incoming> {
  const headers = new Headers({
    "content-type": "application/json",
    authorization: `Bearer ${await token()}`,
  });
  return {
    method: "POST",
    url: "http://gw.test/v1/uploads",
    headers,
    body: new TextEncoder().encode(BODY),
    toRequest: build,
  };
}

describe("requestContext", () => {
  it("builds the Request on first use, once", () => {
    const build = vi.fn(() => new Request("http://gw.test/x"));
    const req = requestContext(
      { method: "GET", url: "http://gw.test/x?y=1", headers: new Headers(), toRequest: build },
      undefined,
    );
    expect(req.url.searchParams.get("y")).toBe("1");
    expect(build).not.toHaveBeenCalled();
    expect(req.request).toBe(req.request);
    expect(build).toHaveBeenCalledTimes(1);
  });
});

describe("requestContext's pathname", () => {
  const context = (url: string) =>
    requestContext(
      { method: "GET", url, headers: new Headers(), toRequest: () => new Request(url) },
      undefined,
    );

  it("is what URL gives, whether or not the URL is parsed for it", () => {
    const urls = [
      "http://gw.test/v1/uploads",
      "http://gw.test/v1/uploads?route=a/../b",
      "http://gw.test/v1/uploads/abc/complete",
      "https://gw.test:8443/v1//uploads/",
      "http://gw.test/v1/./uploads",
      "http://gw.test/v1/x/../uploads",
      "http://gw.test/v1/%2e%2e/uploads",
      "http://gw.test/v1/up loads",
      "http://gw.test/v1/\\uploads",
      "http://gw.test/v1/uploads#frag",
      "http://gw.test/v1/\u00e9",
      "http://gw.test/v1/up\tloads",
      // An authority that a "?" ends: everything after it is the query.
      "http://gw.test?x/",
      "http://gw.test?x/v1/uploads",
      "http://gw.test#x/v1/uploads",
      "http://user@gw.test/v1/uploads",
      "http://gw.test/v1/uploads",
    ];
    for (const url of urls) expect([url, context(url).pathname]).toEqual([url, new URL(url).pathname]);
  });

  it("still refuses a URL that does not parse, as the first sight of its origin", () => {
    expect(() => context("http://gw.test:99999/v1/uploads")).toThrow(TypeError);
    expect(() => context("http://gw.test:99999/v1/uploads")).toThrow(TypeError);
  });
});

describe("the gateway's direct entry point", () => {
  it("creates uploads without building a Request, answering what fetch() answers", async () => {
    const { g, direct } = gateway({ images: { types: ["image/png"], maxSize: "1MB" } });
    const build = vi.fn((): Request => {
      throw new Error("nothing should need the Request");
    });
    const answer = (await direct(await incoming(build), { clientIp: "127.0.0.1" })) as Reply;
    expect(build).not.toHaveBeenCalled();
    expect(answer.status).toBe(201);
    const viaFetch = await g.fetch(
      new Request("http://gw.test/v1/uploads", {
        method: "POST",
        headers: (await incoming(build)).headers,
        body: BODY,
      }),
    );
    expect(viaFetch.status).toBe(201);
    const keys = (body: string) => Object.keys(JSON.parse(body).uploads[0]).sort();
    expect(keys(answer.body!)).toEqual(keys(await viaFetch.text()));
    expect(answer.headers.get("content-type")).toBe(viaFetch.headers.get("content-type"));
  });

  it("gives hooks the Request, built with the body, when a route has them", async () => {
    const seen: string[] = [];
    const { direct } = gateway({
      images: {
        types: ["image/png"],
        maxSize: "1MB",
        onBeforeUpload: async ({ request }) => {
          seen.push(await request.text());
        },
      },
    });
    const answer = await direct(
      await incoming(() => new Request("http://gw.test/v1/uploads", { method: "POST", body: BODY })),
      {},
    );
    expect(answer.status).toBe(201);
    expect(seen).toEqual([BODY]);
  });
});
