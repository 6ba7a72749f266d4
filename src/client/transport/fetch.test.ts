import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchTransport } from "./fetch.js";
import type { TransportRequest } from "./types.js";

interface Seen {
  method: string;
  headers: IncomingHttpHeaders;
  bytes: number;
}

describe("fetchTransport (Node)", () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let bytes = 0;
      req.on("data", (c: Buffer) => {
        bytes += c.length;
      });
      req.on("end", () => {
        seen.push({ method: req.method!, headers: req.headers, bytes });
        if (req.url === "/stall") return; // never answers
        res.writeHead(req.url === "/fail" ? 503 : 200, { etag: '"e1"', "retry-after": "1" });
        res.end(req.url === "/fail" ? "<Error><Code>SlowDown</Code></Error>" : "");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const request = (path: string, over: Partial<TransportRequest> = {}): TransportRequest => ({
    method: "PUT",
    url: `${base}${path}`,
    headers: { "content-type": "video/mp4", "content-length": "999", host: "elsewhere", "x-amz-meta-a": "1" },
    body: new Blob([new Uint8Array(300_000)]),
    size: 300_000,
    signal: new AbortController().signal,
    ...over,
  });

  it("streams the body with its real length and reports progress in 64 KiB steps", async () => {
    const progress: number[] = [];
    const res = await fetchTransport().send(request("/ok", { onProgress: (n) => progress.push(n) }));
    expect(res.status).toBe(200);
    expect(res.header("etag")).toBe('"e1"');
    const last = seen.at(-1)!;
    expect(last.bytes).toBe(300_000);
    expect(last.headers["content-length"]).toBe("300000");
    expect(last.headers["content-type"]).toBe("video/mp4");
    expect(last.headers["x-amz-meta-a"]).toBe("1");
    expect(last.headers.host).toBe(new URL(base).host);
    expect(progress.slice(0, 4)).toEqual([65_536, 131_072, 196_608, 262_144]);
    expect(progress.at(-1)).toBe(300_000);
  });

  it("returns error responses as responses (the caller classifies them)", async () => {
    const res = await fetchTransport({ streamBodies: false }).send(request("/fail"));
    expect(res.status).toBe(503);
    expect(res.body).toContain("SlowDown");
    expect(res.header("retry-after")).toBe("1");
  });

  it("sends form bodies", async () => {
    const form = new FormData();
    form.append("key", "k");
    form.append("file", new Blob(["hello"]), "a.txt");
    const res = await fetchTransport().send(
      request("/ok", { method: "POST", headers: {}, body: form, size: 5 }),
    );
    expect(res.status).toBe(200);
    expect(seen.at(-1)!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
  });

  it("fails NETWORK when nothing answers, ABORTED on the signal, TIMEOUT on a stall", async () => {
    await expect(fetchTransport().send(request("/x", { url: "http://127.0.0.1:9/x" }))).rejects.toMatchObject(
      {
        code: "NETWORK",
        retryable: true,
      },
    );
    const controller = new AbortController();
    const sent = fetchTransport().send(request("/stall", { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await expect(sent).rejects.toMatchObject({ code: "ABORTED" });
    await expect(fetchTransport().send(request("/stall", { stallTimeoutMs: 100 }))).rejects.toMatchObject({
      code: "TIMEOUT",
      retryable: true,
    });
  });
});
