import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG_1X1 } from "../../test/integ/storage/support.js";
import { type DevStack, startDevStack } from "./dev-stack.js";

/** GET with the path sent as written (fetch would normalize "/../"). */
function rawGet(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(base), { path }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on("error", reject);
    req.end();
  });
}

const sha256 = async (bytes: Uint8Array) =>
  Buffer.from(await crypto.subtle.digest("SHA-256", bytes)).toString("base64");

const MiB = 1024 * 1024;

describe("startDevStack", () => {
  let dir: string;
  let stack: DevStack;
  const start = () =>
    startDevStack({
      port: 0,
      storePort: 0,
      dataDir: join(dir, "state"),
      webDir: join(dir, "web"),
      logLevel: "silent",
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-dev-stack-"));
    await mkdir(join(dir, "web"));
    await writeFile(join(dir, "web", "index.html"), "<!doctype html><title>demo</title>");
    stack = await start();
  });
  afterAll(async () => {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const session = async (user: string) => {
    const res = await fetch(`${stack.gatewayUrl}/v1/dev/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  };

  it("serves the page, the API and health on one origin, and the store on another", async () => {
    const gateway = new URL(stack.gatewayUrl);
    const store = new URL(stack.storeUrl);
    expect([gateway.hostname, store.hostname]).toEqual(["127.0.0.1", "127.0.0.1"]);
    expect(gateway.port).not.toBe(store.port);
    const page = await fetch(`${stack.gatewayUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain(`connect-src 'self' ${stack.storeUrl}`);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(await page.text()).toContain("<title>demo</title>");
    const health = await fetch(`${stack.gatewayUrl}/healthz`);
    expect([health.status, ((await health.json()) as { ok: boolean }).ok]).toEqual([200, true]);
    expect((await fetch(`${stack.gatewayUrl}/missing.js`)).status).toBe(404);
    for (const path of ["/../state/dev-secret", "/%2e%2e/state/dev-secret", "/..%2fstate%2fdev-secret"]) {
      expect(await rawGet(stack.gatewayUrl, path)).toBe(404);
    }
    expect((await fetch(`${stack.gatewayUrl}/`, { method: "POST" })).status).toBe(405);
  });

  it("describes the default routes for the page at GET /v1/routes (signed in: none is public)", async () => {
    expect((await fetch(`${stack.gatewayUrl}/v1/routes`)).status).toBe(401);
    const res = await fetch(`${stack.gatewayUrl}/v1/routes`, {
      headers: { authorization: `Bearer ${await session("ada")}` },
    });
    const { routes } = (await res.json()) as {
      routes: Array<{ name: string; label: string; maxSize: number; strategy: string; partSize: number }>;
    };
    expect(routes.map((r) => [r.name, r.label, r.maxSize, r.strategy, r.partSize])).toEqual([
      ["images", "Images", 10 * MiB, "auto", 16 * MiB],
      ["documents", "Documents", 50 * MiB, "auto", 16 * MiB],
      ["any", "Any file", 5 * 1024 * MiB, "multipart", 8 * MiB],
    ]);
  });

  it("lets the page's origin send every header the gateway signs to the store, and read ETag", async () => {
    const token = await session("ada");
    const created = await fetch(`${stack.gatewayUrl}/v1/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        route: "images",
        files: [{ name: "dot.png", type: "image/png", size: PNG_1X1.length, sha256: await sha256(PNG_1X1) }],
      }),
    });
    expect(created.status).toBe(201);
    const [put] = (
      (await created.json()) as { uploads: Array<{ url: string; headers: Record<string, string> }> }
    ).uploads;
    const signed = Object.keys(put!.headers).filter((h) => h !== "content-length" && h !== "host");
    expect(signed.sort()).toEqual([
      "content-type",
      "if-none-match",
      "x-amz-checksum-sha256",
      "x-amz-meta-upgate-upload",
      "x-amz-meta-upgate-user",
    ]);
    for (const origin of [stack.gatewayUrl, stack.gatewayUrl.replace("127.0.0.1", "localhost")]) {
      const preflight = await fetch(put!.url, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "PUT",
          "access-control-request-headers": signed.join(","),
        },
      });
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    }
    const stranger = await fetch(put!.url, {
      method: "OPTIONS",
      headers: { origin: "http://evil.test", "access-control-request-method": "PUT" },
    });
    expect(stranger.status).toBe(403);
    const { "content-length": _, ...headers } = put!.headers;
    const stored = await fetch(put!.url, {
      method: "PUT",
      headers: { ...headers, origin: stack.gatewayUrl },
      body: PNG_1X1,
    });
    expect(stored.status).toBe(200);
    expect(stored.headers.get("access-control-expose-headers")).toBe("ETag");
  });

  it("keeps data and sign-ins across a restart on the same folder, on new ports", async () => {
    const token = await session("bob");
    const before = stack.gatewayUrl;
    await stack.close();
    stack = await start();
    expect(stack.gatewayUrl).not.toBe(before);
    const listed = await fetch(`${stack.gatewayUrl}/v1/uploads`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.status).toBe(200);
    const ada = await stack.gateway.ledger.list({ userId: "ada", limit: 10 });
    expect(ada.rows.map((r) => r.name)).toEqual(["dot.png"]);
    const preflight = await fetch(`${stack.storeUrl}/uploads/x`, {
      method: "OPTIONS",
      headers: { origin: stack.gatewayUrl, "access-control-request-method": "PUT" },
    });
    expect(preflight.status).toBe(200);
  });
});
