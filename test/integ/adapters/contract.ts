import { createHash } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { rawHttp } from "../../support/raw-http.js";
import { type Echo, type FakeGateway, patternBytes, patternSha256 } from "./fake-gateway.js";
import { nextChunk, open, readAll, sleep } from "./http-client.js";

export interface RunningServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

export interface AdapterContract {
  gateway: FakeGateway;
  start(): Promise<RunningServer>;
  /** Served through toNodeHandler: exceptions and bad requests get upgate's JSON errors. */
  upgateErrors: boolean;
}

const MiB = 1024 * 1024;

/** The value once two readings 100 ms apart agree (or the last reading after `ms`). */
async function steady(read: () => number, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  let last = read();
  while (Date.now() < deadline) {
    await sleep(100);
    const now = read();
    if (now === last) return now;
    last = now;
  }
  return last;
}

/**
 * The behaviour every way of serving the gateway must have, run over real HTTP on 127.0.0.1.
 * Returns the running server's origin, for a framework's own extra tests.
 */
export function adapterContract(contract: AdapterContract): () => string {
  const { gateway } = contract;
  let server: RunningServer;
  beforeAll(async () => {
    server = await contract.start();
  });
  afterAll(() => server?.close());

  it("passes the method, absolute URL, repeated headers, body and client IP", async () => {
    const res = await open(`${server.origin}/v1/echo?route=images&x=1`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-repeat": ["a", "b"], authorization: "Bearer t" },
      body: '{ "route": "images", "files": [] }',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["x-echo"]).toBe("yes");
    const echo = JSON.parse((await readAll(res)).toString()) as Echo;
    expect(echo.method).toBe("POST");
    expect(echo.url).toBe(`${server.origin}/v1/echo?route=images&x=1`);
    const headers = new Map(echo.headers);
    expect(headers.get("x-repeat")).toBe("a, b");
    expect(headers.get("authorization")).toBe("Bearer t");
    expect(headers.get("host")).toBe(new URL(server.origin).host);
    expect(JSON.parse(echo.body)).toEqual({ route: "images", files: [] });
    expect(Number(headers.get("content-length"))).toBe(Buffer.byteLength(echo.body));
    expect(echo.clientIp).toBe("127.0.0.1");
  });

  it("gives GET requests no body", async () => {
    const echo = (await (await fetch(`${server.origin}/v1/echo`)).json()) as Echo;
    expect(echo).toMatchObject({ method: "GET", body: "" });
  });

  it("streams a 24 MiB request body to the gateway intact", async () => {
    const body = patternBytes(7, 24 * MiB);
    const res = await fetch(`${server.origin}/v1/count`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      bytes: body.length,
      sha256: createHash("sha256").update(body).digest("hex"),
    });
  });

  it("streams a 24 MiB response body intact", async () => {
    const size = 24 * MiB;
    const res = await open(`${server.origin}/v1/large?size=${size}`);
    const bytes = await readAll(res);
    expect(bytes.length).toBe(size);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(patternSha256(size));
  });

  it("stops pulling the response body while the client does not read, and cancels it when it leaves", async () => {
    const res = await open(`${server.origin}/v1/large?size=${512 * MiB}`);
    res.pause();
    await sleep(400);
    // Socket buffers on loopback hold a few MiB; buffering the body would run far past that.
    expect(gateway.produced()).toBeLessThan(48 * MiB);
    res.destroy();
    const settled = await steady(gateway.produced, 5_000);
    await sleep(300);
    expect(gateway.produced()).toBe(settled);
    expect(settled).toBeLessThan(512 * MiB);
    expect(gateway.largeCancelled()).toBe(true);
  });

  it("sends the head and first chunk before the body is complete", async () => {
    const res = await open(`${server.origin}/v1/held`);
    expect(res.statusCode).toBe(200);
    expect((await nextChunk(res, 2_000)).toString()).toBe("first;");
    gateway.release();
    expect((await readAll(res)).toString()).toBe("last");
  });

  it("returns the status, each Set-Cookie separately and repeated headers", async () => {
    const res = await open(`${server.origin}/v1/cookies`);
    expect(res.statusCode).toBe(201);
    expect(res.headers["set-cookie"]).toEqual([
      "a=1; Path=/; HttpOnly",
      "b=2; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT",
    ]);
    expect(res.headers["x-multi"]).toBe("one, two");
    expect((await readAll(res)).toString()).toBe("cookies");
  });

  it("answers HEAD with the headers and no body", async () => {
    const res = await open(`${server.origin}/v1/cookies`, { method: "HEAD" });
    expect(res.statusCode).toBe(201);
    expect(res.headers["set-cookie"]).toHaveLength(2);
    expect((await readAll(res)).length).toBe(0);
  });

  it("turns a gateway exception into a 500 and keeps serving", async () => {
    const res = await fetch(`${server.origin}/v1/throw`, { method: "POST", body: "{}" });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret-detail");
    if (contract.upgateErrors) {
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "Internal error" } });
    }
    expect((await fetch(`${server.origin}/v1/echo`)).status).toBe(200);
  });

  it("cuts the response short when the body stream fails midway, and keeps serving", async () => {
    const res = await fetch(`${server.origin}/v1/broken-stream`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect((await fetch(`${server.origin}/v1/echo`)).status).toBe(200);
  });

  if (contract.upgateErrors) {
    it("answers a Host header that is not a host with 400 VALIDATION_FAILED", async () => {
      const res = await rawHttp(
        server.origin,
        "GET /v1/echo HTTP/1.1\r\nHost: evil.example/path\r\nConnection: close\r\n\r\n",
      );
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    });

    it("keeps a protocol-relative request target on the same origin", async () => {
      const res = await rawHttp(
        server.origin,
        `GET //evil.example/v1/echo HTTP/1.1\r\nHost: ${new URL(server.origin).host}\r\nConnection: close\r\n\r\n`,
      );
      // The gateway sees the path "//evil.example/v1/echo" on our origin, which it does not serve.
      expect(res.status).toBe(404);
    });
  }

  return () => server.origin;
}
