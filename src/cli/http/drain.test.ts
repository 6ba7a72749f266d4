import { Agent, createServer, request, type ServerResponse } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { describe, expect, it } from "vitest";
import { trackRequests } from "./drain.js";

/** A server whose /slow/<ms> answers after ms, and /stream/<ms> sends its headers at once and ends after ms. */
async function slowServer(delayMs: number) {
  const server = createServer((req, res: ServerResponse) => {
    const [, kind, ms] = (req.url ?? "/").split("/");
    if (kind === "stream") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("part ");
      setTimeout(() => res.end("done"), Number(ms));
      return;
    }
    setTimeout(() => res.end("done"), kind === "slow" ? Number(ms) : delayMs);
  });
  // Far beyond any bound below: a kept-alive connection must be closed by the drain, not by node's timer.
  server.keepAliveTimeout = 60_000;
  const drain = trackRequests(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, drain, url };
}

async function until(condition: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
  /** Resolves when the client's socket closes. */
  socketClosed: Promise<void>;
}

/** A GET through a keep-alive agent: the socket stays open after the answer unless the server closes it. */
function get(agent: Agent, url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => {
        body += d;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode!, connection: res.headers.connection, body, socketClosed }),
      );
    });
    const socketClosed = new Promise<void>((closed) =>
      req.once("socket", (s) => s.once("close", () => closed())),
    );
    req.on("error", reject);
    req.end();
  });
}

describe("graceful close", () => {
  it("lets a request in flight finish, and refuses new connections meanwhile", async () => {
    const { drain, url } = await slowServer(500);
    const inFlight = fetch(url).then((r) => r.text());
    await until(() => drain.inFlight() === 1);
    const closing = drain.close(5_000);
    await new Promise((r) => setTimeout(r, 20));
    await expect(fetch(url)).rejects.toThrow();
    expect(await inFlight).toBe("done");
    expect(await closing).toBe(0);
  });

  it("cuts what is still running after the grace period", async () => {
    const { drain, url } = await slowServer(10_000);
    const inFlight = fetch(url).then(
      () => "answered",
      () => "cut",
    );
    await until(() => drain.inFlight() === 1);
    const started = Date.now();
    expect(await drain.close(100)).toBe(1);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await inFlight).toBe("cut");
  });

  it("closes idle keep-alive connections at once, and a busy one as soon as its answer is out", async () => {
    const { drain, url } = await slowServer(0);
    const agent = new Agent({ keepAlive: true });
    const idle = await get(agent, `${url}/fast`);
    expect(idle.connection).toBe("keep-alive");
    const slow = get(new Agent({ keepAlive: true }), `${url}/slow/600`);
    await until(() => drain.inFlight() === 1);
    let closed = false;
    const closing = drain.close(30_000).then((cut) => {
      closed = true;
      return cut;
    });
    await idle.socketClosed;
    expect(closed).toBe(false);
    const answer = await slow;
    // Answered after the close began: the client is told not to reuse the connection.
    expect(answer).toMatchObject({ status: 200, body: "done", connection: "close" });
    await answer.socketClosed;
    expect(await closing).toBe(0);
    agent.destroy();
  });

  it("closes a kept-alive connection whose answer was already streaming as soon as it ends, while others still run", async () => {
    const { drain, url } = await slowServer(0);
    const agent = new Agent({ keepAlive: true });
    const streaming = get(agent, `${url}/stream/300`);
    let slowDone = false;
    const slow = get(new Agent({ keepAlive: true }), `${url}/slow/3000`).then((answer) => {
      slowDone = true;
      return answer;
    });
    await until(() => drain.inFlight() === 2);
    const closing = drain.close(30_000);
    const answer = await streaming;
    // Its headers were out before the close began, so they said keep-alive; the drain closes it anyway.
    expect(answer).toMatchObject({ body: "part done", connection: "keep-alive" });
    await answer.socketClosed;
    expect(slowDone).toBe(false);
    expect((await slow).body).toBe("done");
    expect(await closing).toBe(0);
    agent.destroy();
  });

  it("serves a request whose headers were still arriving when the close began", async () => {
    const { drain, server } = await slowServer(0);
    const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    let received = "";
    socket.setEncoding("utf8").on("data", (d: string) => {
      received += d;
    });
    const ended = new Promise((r) => socket.once("close", r));
    socket.write("GET /fast HTTP/1.1\r\nHost: x\r\n");
    await new Promise((r) => setTimeout(r, 50));
    const closing = drain.close(30_000);
    await new Promise((r) => setTimeout(r, 100));
    socket.write("\r\n");
    expect(await closing).toBe(0);
    await ended;
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(received).toMatch(/\r\nConnection: close\r\n/i);
    expect(received).toMatch(/done$/);
  });

  it("keeps listening until listenUntil settles, then drains what came meanwhile", async () => {
    const { drain, url } = await slowServer(300);
    let release!: () => void;
    const closing = drain.close(30_000, { listenUntil: new Promise<void>((r) => (release = r)) });
    const late = await fetch(url);
    expect(late.headers.get("connection")).toBe("close");
    expect(await late.text()).toBe("done");
    const meanwhile = fetch(url).then((r) => r.text());
    await until(() => drain.inFlight() === 1);
    release();
    await new Promise((r) => setTimeout(r, 20));
    await expect(fetch(url)).rejects.toThrow();
    expect(await meanwhile).toBe("done");
    expect(await closing).toBe(0);
  });
});
