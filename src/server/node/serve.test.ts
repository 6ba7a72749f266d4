import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { json } from "../http/respond.js";
import { type Incoming, registerServeIncoming, type ServeIncoming } from "../incoming.js";
import { type FetchGateway, type NodeHandlerOptions, toNodeHandler } from "../node.js";

let server: Server | undefined;
afterEach(async () => {
  const running = server;
  server = undefined;
  if (!running) return;
  running.closeAllConnections();
  await new Promise((resolve) => running.close(resolve));
});

async function serve(gateway: FetchGateway, options: NodeHandlerOptions = {}): Promise<string> {
  server = createServer(toNodeHandler(gateway, { onError: () => {}, ...options }));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A gateway with the direct entry point createGateway() has; its fetch records that it was used. */
function direct(handle: ServeIncoming, used: string[] = []): FetchGateway {
  const gateway: FetchGateway = {
    async fetch(request) {
      used.push(`fetch ${request.method}`);
      return Response.json({ via: "fetch", body: await request.text() });
    },
  };
  registerServeIncoming(gateway, handle);
  return gateway;
}

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with node:http, so the test sees the framing headers fetch() hides. */
function send(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string | string[]>;
    body?: string;
    chunked?: boolean;
  } = {},
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = { ...init.headers };
    if (init.body !== undefined && !init.chunked)
      headers["content-length"] = String(Buffer.byteLength(init.body));
    const req = httpRequest(url, { method: init.method ?? "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    if (init.chunked && init.body !== undefined) {
      // Two writes without a length: node:http frames them as chunked.
      req.write(init.body.slice(0, 3));
      req.end(init.body.slice(3));
    } else {
      req.end(init.body);
    }
  });
}

describe("toNodeHandler with createGateway()'s direct entry point", () => {
  it("passes method, URL, every header and the whole body, and writes the Reply in one piece", async () => {
    let seen: Incoming | undefined;
    const used: string[] = [];
    const url = await serve(
      direct(async (incoming, info) => {
        seen = incoming;
        return json(201, { got: new TextDecoder().decode(incoming.body), clientIp: info.clientIp });
      }, used),
    );
    const res = await send(`${url}/v1/uploads?x=1`, {
      headers: { "content-type": "application/json", "x-repeat": ["a", "b"] },
      body: '{"route":"images"}',
    });
    expect(used).toEqual([]);
    expect(seen).toMatchObject({ method: "POST", url: `${url}/v1/uploads?x=1` });
    expect(seen?.headers.get("x-repeat")).toBe("a, b");
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ got: '{"route":"images"}', clientIp: "127.0.0.1" });
    expect(res.headers["content-length"]).toBe(String(Buffer.byteLength(res.body)));
    expect(res.headers["transfer-encoding"]).toBeUndefined();
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("builds the Request only when asked, with the body and a signal for the client leaving", async () => {
    let request: Request | undefined;
    let aborted: () => void = () => {};
    const wasAborted = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    const url = await serve(
      direct(async (incoming) => {
        request = incoming.toRequest();
        request.signal.addEventListener("abort", () => aborted());
        expect(await request.clone().text()).toBe("hello");
        return new Promise(() => {});
      }),
    );
    const req = httpRequest(`${url}/v1/hold`, { method: "POST", headers: { "content-length": "5" } });
    req.on("error", () => {});
    req.end("hello");
    await expect.poll(() => request).toBeDefined();
    req.destroy();
    await wasAborted;
    expect(request?.method).toBe("POST");
  });

  it("answers HEAD with the Reply's headers and no body", async () => {
    const url = await serve(direct(async () => json(200, { ok: true }, { "x-extra": "1" })));
    const res = await send(`${url}/v1/anything`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers["x-extra"]).toBe("1");
    expect(res.body).toBe("");
  });

  it("streams bodies longer than maxBufferedBody, or without a length, through fetch", async () => {
    const used: string[] = [];
    const url = await serve(
      direct(async () => json(200, { via: "direct" }), used),
      { maxBufferedBody: 8 },
    );
    expect(JSON.parse((await send(`${url}/a`, { body: "12345678" })).body)).toEqual({ via: "direct" });
    expect(JSON.parse((await send(`${url}/a`, { body: "123456789" })).body)).toEqual({
      via: "fetch",
      body: "123456789",
    });
    expect(JSON.parse((await send(`${url}/a`, { body: "chunked", chunked: true })).body)).toEqual({
      via: "fetch",
      body: "chunked",
    });
    expect(used).toEqual(["fetch POST", "fetch POST"]);
  });

  it("refuses a maxBufferedBody that is not a whole number of bytes", () => {
    for (const maxBufferedBody of [-1, 1.5, Number.NaN]) {
      expect(() =>
        toNodeHandler(
          direct(async () => json(200, {})),
          { maxBufferedBody },
        ),
      ).toThrow(/maxBufferedBody/);
    }
  });
});

describe("toNodeHandler with any fetch gateway", () => {
  const jsonStream = (parts: string[], fail?: Error) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
        if (fail) controller.error(fail);
        else controller.close();
      },
    });

  it("gives the gateway a small body whole, and sends a JSON Response in one piece", async () => {
    const url = await serve({
      async fetch(request) {
        return Response.json({ body: await request.text() });
      },
    });
    const res = await send(`${url}/a`, { body: "small" });
    expect(JSON.parse(res.body)).toEqual({ body: "small" });
    expect(res.headers["content-length"]).toBe(String(res.body.length));
    expect(res.headers["transfer-encoding"]).toBeUndefined();
  });

  it("streams a JSON body longer than it may hold, intact", async () => {
    const parts = ['{"a":"', "x".repeat(20), '","b":"', "y".repeat(20), '"}'];
    const url = await serve(
      {
        async fetch() {
          return new Response(jsonStream(parts), { headers: { "content-type": "application/json" } });
        },
      },
      { maxBufferedBody: 16 },
    );
    const res = await send(`${url}/a`, { method: "GET" });
    expect(res.body).toBe(parts.join(""));
    expect(res.headers["transfer-encoding"]).toBe("chunked");
  });

  it("answers a clean 500 when a held JSON body fails before anything was sent", async () => {
    const errors: unknown[] = [];
    const url = await serve(
      {
        async fetch() {
          return new Response(jsonStream(['{"a":'], new Error("storage went away")), {
            headers: { "content-type": "application/json" },
          });
        },
      },
      { onError: (error) => errors.push(error) },
    );
    const res = await send(`${url}/a`, { method: "GET" });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: { code: "INTERNAL", message: "Internal error" } });
    expect(String(errors[0])).toMatch(/storage went away/);
  });
});
