import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";
import { PNG_1X1 } from "../storage/support.js";
import type { RunningServer } from "./contract.js";
import { listenOnLoopback } from "./listen.js";

const JWT_SECRET = "docs-example-jwt-secret-0123456789abcdef";

let store: StoreFixture;
let server: RunningServer;
let dir: string;
let close: () => Promise<void>;

/** The docs' gateway.ts and node-http.ts, unmocked, configured the way the page says: by environment. */
beforeAll(async () => {
  store = await startStore();
  dir = await mkdtemp(join(tmpdir(), "upgate-docs-gateway-"));
  Object.assign(process.env, {
    S3_ENDPOINT: store.url,
    S3_REGION: store.region,
    S3_BUCKET: store.bucket,
    S3_ACCESS_KEY_ID: store.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: store.credentials.secretAccessKey,
    JWT_SECRET,
    UPGATE_LEDGER: `sqlite:${join(dir, "ledger.db")}`,
  });
  const { gateway } = await import("../../../docs/examples/gateway.js");
  const { server: httpServer } = await import("../../../docs/examples/node-http.js");
  server = await listenOnLoopback(httpServer);
  close = () => gateway.close();
});

afterAll(async () => {
  await server?.close();
  await close?.();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

const token = () =>
  new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("alice")
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(new TextEncoder().encode(JWT_SECRET));

describe("the documented gateway served by the documented node:http server", () => {
  it("creates, uploads and verifies a PNG over real HTTP, recording the client's IP", async () => {
    const auth = { authorization: `Bearer ${await token()}`, "content-type": "application/json" };
    const created = await fetch(`${server.origin}/v1/uploads`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({
        route: "images",
        files: [{ name: "dot.png", type: "image/png", size: PNG_1X1.length }],
      }),
    });
    expect(created.status).toBe(201);
    const [upload] = (
      (await created.json()) as {
        uploads: Array<{ id: string; url: string; headers: Record<string, string> }>;
      }
    ).uploads;
    const put = await fetch(upload!.url, { method: "PUT", headers: upload!.headers, body: PNG_1X1 });
    expect(put.status).toBe(200);
    const completed = await fetch(`${server.origin}/v1/uploads/${upload!.id}/complete`, {
      method: "POST",
      headers: auth,
      body: "{}",
    });
    expect(completed.status).toBe(200);
    expect(await completed.json()).toMatchObject({
      upload: { id: upload!.id, status: "verified", size: PNG_1X1.length },
    });
    const { gateway } = await import("../../../docs/examples/gateway.js");
    expect((await gateway.ledger.get(upload!.id))?.clientIp).toBe("127.0.0.1");
  });

  it("answers 401 AUTH_REQUIRED without a token", async () => {
    const res = await fetch(`${server.origin}/v1/uploads`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ route: "images", files: [{ name: "a.png", type: "image/png", size: 10 }] }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "AUTH_REQUIRED" } });
  });

  it("lets the page origin it documents (APP_ORIGINS, default http://localhost:5173) call the API", async () => {
    const preflight = (origin: string) =>
      fetch(`${server.origin}/v1/uploads`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      });
    const allowed = await preflight("http://localhost:5173");
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const other = await preflight("https://elsewhere.example");
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
