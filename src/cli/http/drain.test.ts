import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { trackRequests } from "./drain.js";

async function slowServer(delayMs: number) {
  const server = createServer((_req, res) => {
    setTimeout(() => res.end("done"), delayMs);
  });
  const drain = trackRequests(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { drain, url };
}

async function until(condition: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
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
});
