import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type FetchGateway, type NodeHandlerOptions, toNodeHandler } from "./node.js";

/** What a gateway received, so a test can inspect it after the response. */
interface Seen {
  request?: Request;
  body?: string;
  bodyError?: unknown;
}

let server: Server | undefined;
afterEach(async () => {
  const running = server;
  server = undefined;
  if (!running) return;
  running.closeAllConnections();
  await new Promise((resolve) => running.close(resolve));
});

/** Serves `gateway` through toNodeHandler, after `before` (standing in for a framework's middleware). */
async function serve(
  gateway: FetchGateway,
  options: NodeHandlerOptions = {},
  before: (req: IncomingMessage) => Promise<void> | void = () => {},
): Promise<string> {
  const handler = toNodeHandler(gateway, { onError: () => {}, ...options });
  server = createServer(async (req, res) => {
    await before(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function echoing(seen: Seen): FetchGateway {
  return {
    async fetch(request) {
      seen.request = request;
      try {
        seen.body = await request.text();
      } catch (error) {
        seen.bodyError = error;
      }
      return new Response("ok");
    },
  };
}

/** Reads the whole body, as a body parser would, and leaves `body` on the request. */
function consumeInto(body: unknown) {
  return async (req: IncomingMessage) => {
    for await (const _ of req);
    Object.assign(req, { body });
  };
}

describe("toNodeHandler", () => {
  it("builds the URL on the configured origin instead of the Host header", async () => {
    const seen: Seen = {};
    const url = await serve(echoing(seen), { origin: "https://uploads.example.com" });
    await fetch(`${url}/v1/uploads?x=1`);
    expect(seen.request?.url).toBe("https://uploads.example.com/v1/uploads?x=1");
  });

  it("refuses an origin with a path at creation", () => {
    expect(() => toNodeHandler(echoing({}), { origin: "https://example.com/base" })).toThrow(/origin/);
  });

  it("answers methods fetch cannot carry with 405 METHOD_NOT_ALLOWED", async () => {
    const url = await serve(echoing({}));
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${url}/v1/uploads`, { method: "TRACE" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(405);
  });

  it.each([
    [
      "express.json() object",
      { route: "images" },
      "application/json",
      '{ "route": "images" }',
      '{"route":"images"}',
      "application/json",
    ],
    [
      "express.urlencoded() object",
      { route: "images" },
      "application/x-www-form-urlencoded",
      "route=images",
      '{"route":"images"}',
      "application/json",
    ],
    ["express.text() string", "plain text", "text/plain", "plain text", "plain text", "text/plain"],
    [
      "express.raw() bytes",
      Buffer.from([0, 1, 2, 255]),
      "application/octet-stream",
      "\u0000\u0001",
      "\u0000\u0001\u0002\ufffd",
      "application/octet-stream",
    ],
  ])("re-serializes a body a parser already read (%s)", async (_name, parsed, sentType, sent, body, type) => {
    const seen: Seen = {};
    const url = await serve(echoing(seen), {}, consumeInto(parsed));
    await fetch(`${url}/v1/uploads`, { method: "POST", headers: { "content-type": sentType }, body: sent });
    expect(seen.body).toBe(body);
    const length = parsed instanceof Uint8Array ? parsed.length : Buffer.byteLength(body);
    expect(seen.request?.headers.get("content-length")).toBe(String(length));
    expect(seen.request?.headers.get("content-type")).toBe(type);
  });

  it("answers 500 INTERNAL when a middleware read the body and kept nothing", async () => {
    const errors: unknown[] = [];
    const url = await serve(echoing({}), { onError: (error) => errors.push(error) }, consumeInto(undefined));
    const res = await fetch(`${url}/v1/uploads`, { method: "POST", body: "{}" });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: "INTERNAL", message: "Internal error" } });
    expect(String(errors[0])).toMatch(/read by another middleware/);
  });

  it("reports an error to the gateway's body reader when the client aborts mid-upload", async () => {
    const seen: Seen = {};
    let bodyDone: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      bodyDone = resolve;
    });
    const url = await serve({
      async fetch(request) {
        try {
          await request.arrayBuffer();
        } catch (error) {
          seen.bodyError = error;
        }
        bodyDone();
        return new Response("late");
      },
    });
    const req = httpRequest(`${url}/v1/uploads`, {
      method: "POST",
      headers: { "content-length": "1000000" },
    });
    req.on("error", () => {});
    req.write("only a little");
    setTimeout(() => req.destroy(), 50);
    await done;
    expect(seen.bodyError).toBeInstanceOf(Error);
  });

  it("aborts the Request's signal when the client leaves before the response", async () => {
    let aborted: () => void = () => {};
    const wasAborted = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    const url = await serve({
      fetch(request) {
        request.signal.addEventListener("abort", () => aborted());
        return new Promise<Response>(() => {});
      },
    });
    const controller = new AbortController();
    const pending = fetch(`${url}/v1/uploads`, { signal: controller.signal }).catch(() => "aborted");
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toBe("aborted");
    await wasAborted;
  });

  it("reports a gateway exception to onError and answers without its message", async () => {
    const errors: unknown[] = [];
    const url = await serve(
      {
        fetch: () => Promise.reject(new Error("db password is hunter2")),
      },
      { onError: (error) => errors.push(error) },
    );
    const res = await fetch(`${url}/v1/uploads`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain("hunter2");
    expect(errors).toHaveLength(1);
  });
});
