/**
 * `upgate store`, `dev` and `serve` stop on SIGTERM or SIGINT and exit 0 within the grace period
 * plus a second, even after large bodies and multipart uploads (the store hashes those on a worker
 * thread), and while clients hold keep-alive connections open. Exit times are only bounded here:
 * grace + 1 s, measured from the signal.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import Database from "better-sqlite3";
import { SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { presignUrl } from "../../src/core/sigv4/presign.js";
import { type DevRig, startDevRig } from "./support/dev.js";
import { FLOW_ROUTES, uploadEachKind, uploadThrough } from "./support/gateway-flows.js";
import { type Answer, KeepAliveAgent, sdkClient, send, sendJson } from "./support/keep-alive.js";
import { type Serving, startServing } from "./support/serving.js";

const MiB = 1024 * 1024;
/** What the in-flight tests pass as --grace; the slow upload needs well under half of it. */
const GRACE_MS = 3_000;
const DEFAULT_GRACE_MS = 5_000;
const SLOW_PAUSE_MS = 1_200;
const JWT_SECRET = "shutdown-test-jwt-secret-0123456789abcdef";

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

let dir: string;
const running = new Set<Serving<unknown>>();
const agents = new Set<KeepAliveAgent>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "upgate-cli-shutdown-"));
});
afterEach(() => {
  for (const s of running) s.child.kill("SIGKILL");
  running.clear();
  for (const a of agents) a.destroy();
  agents.clear();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function agent(): KeepAliveAgent {
  const a = new KeepAliveAgent();
  agents.add(a);
  return a;
}

async function serving<Info>(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Serving<Info>> {
  const s = await startServing<Info>(args, env);
  running.add(s as Serving<unknown>);
  return s;
}

/** Signals, and checks the process exited 0 within grace + 1 s, said so, and was not made to exit. */
async function expectCleanExit(s: Serving<unknown>, signal: NodeJS.Signals, graceMs: number) {
  const { code, ms } = await s.stop(signal);
  running.delete(s);
  expect(code, s.stderr()).toBe(0);
  expect(ms, s.stderr()).toBeLessThanOrEqual(graceMs + 1_000);
  expect(s.stderr()).toMatch(new RegExp(`: ${signal}: stopping; `));
  expect(s.stderr()).toMatch(/: stopped/);
  expect(s.stderr()).not.toMatch(/still running .* after stopping/);
  return s.stderr();
}

/**
 * The ledger was closed cleanly (SQLite checkpoints and removes the WAL when the last connection
 * closes) and holds the verified uploads.
 */
function expectLedgerFlushed(file: string, uploads = 3) {
  expect(existsSync(`${file}-wal`)).toBe(false);
  const db = new Database(file, { readonly: true });
  try {
    const verified = db.prepare("SELECT COUNT(*) FROM uploads WHERE status = 'verified'").pluck().get();
    expect(verified).toBe(uploads);
  } finally {
    db.close();
  }
}

/** Single PUTs (one small, one of 5 MiB), a form POST and a multipart upload, all through the AWS SDK's keep-alive agent. */
async function s3Uploads(a: KeepAliveAgent, endpoint: string, bucket: string, credentials: Credentials) {
  const s3 = sdkClient(a, endpoint, credentials);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "put/small.txt", Body: "small" }));
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: "put/large.bin", Body: Buffer.alloc(5 * MiB, 1) }),
  );
  const post = await createPresignedPost(s3, {
    Bucket: bucket,
    Key: "post/form.txt",
    Conditions: [["content-length-range", 0, 1024]],
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
  form.append("file", new Blob(["form body"], { type: "text/plain" }), "form.txt");
  const encoded = new Request(post.url, { method: "POST", body: form });
  const posted = await send(a, "POST", post.url, {
    headers: { "content-type": encoded.headers.get("content-type")! },
    body: new Uint8Array(await encoded.arrayBuffer()),
  });
  expect(posted.status, posted.body.toString()).toBe(204);
  const key = "multipart/big.bin";
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const parts = [];
  for (const [n, size] of [
    [1, 5 * MiB],
    [2, 1024],
  ] as const) {
    const { ETag } = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        PartNumber: n,
        Body: Buffer.alloc(size, n),
      }),
    );
    parts.push({ PartNumber: n, ETag });
  }
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  expect(listed.Contents?.map((o) => o.Key)).toEqual(
    expect.arrayContaining(["put/small.txt", "put/large.bin", "post/form.txt", key]),
  );
}

/**
 * A request whose body is sent in two halves SLOW_PAUSE_MS apart (the second never, if `finish` is
 * false). Resolves once the server has the request (it answered `100 Continue`) and the first half
 * is out.
 */
async function slowRequest(
  a: KeepAliveAgent,
  method: string,
  url: string,
  headers: Record<string, string>,
  halves: [string, string],
  finish = true,
): Promise<{ answer: Promise<Answer> }> {
  let started!: () => void;
  const onWire = new Promise<void>((r) => {
    started = r;
  });
  const answer = send(a, method, url, {
    headers: {
      ...headers,
      "content-length": String(Buffer.byteLength(halves.join(""))),
      expect: "100-continue",
    },
    body: async (write) => {
      write(halves[0]);
      started();
      await new Promise((r) => setTimeout(r, SLOW_PAUSE_MS));
      if (!finish) await new Promise(() => {});
      write(halves[1]);
    },
  });
  answer.catch(() => {});
  await onWire;
  return { answer };
}

/** A presigned PUT of 10 bytes to the store, sent slowly. */
async function slowPut(storeUrl: string, bucket: string, credentials: Credentials, finish = true) {
  const signed = await presignUrl({
    method: "PUT",
    endpoint: storeUrl,
    bucket,
    key: "inflight/slow.txt",
    region: "us-east-1",
    credentials,
    expiresIn: 60,
    headers: { "content-length": 10 },
  });
  return slowRequest(agent(), "PUT", signed.url, signed.headers, ["slow ", "body!"], finish);
}

/**
 * Signals while `slow` is in flight: it must be answered in full with `Connection: close`, the idle
 * keep-alive connections of `idle` to `origins` must be closed before that (at once), and the
 * process must exit 0 within the grace period.
 */
async function expectInFlightFinishes(
  s: Serving<unknown>,
  slow: { answer: Promise<Answer> },
  idle: KeepAliveAgent,
  origins: string[],
  status: number,
) {
  for (const origin of origins) expect(idle.open(origin), origin).toBeGreaterThan(0);
  const exiting = expectCleanExit(s, "SIGINT", GRACE_MS);
  const idleClosedAt = Promise.all(origins.map((o) => idle.allClosed(o))).then(() => Date.now());
  const answer = await slow.answer;
  const answeredAt = Date.now();
  expect(answer.status, answer.body.toString()).toBe(status);
  expect(answer.headers.connection).toBe("close");
  expect(await idleClosedAt).toBeLessThan(answeredAt);
  const stderr = await exiting;
  expect(stderr).toMatch(
    new RegExp(`: SIGINT: stopping; 1 request\\(s\\) in flight may take up to ${GRACE_MS} ms to finish\n`),
  );
  expect(stderr).not.toMatch(/cut \d+ request/);
}

describe("upgate store stops", { timeout: 120_000 }, () => {
  type StoreInfo = { url: string } & Credentials;
  const storeArgs = (name: string, ...more: string[]) => [
    "store",
    "--port",
    "0",
    "--data-dir",
    join(dir, name),
    "--bucket",
    "uploads",
    "--durability",
    "none",
    "--json",
    ...more,
  ];

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`on ${signal} within the grace period after PUTs, a form POST and a multipart upload, with SDK connections kept alive`, async () => {
      const store = await serving<StoreInfo>(storeArgs(`store-${signal}`));
      const sdk = agent();
      await s3Uploads(sdk, store.info.url, "uploads", store.info);
      expect(sdk.open()).toBeGreaterThan(0);
      const stderr = await expectCleanExit(store, signal, DEFAULT_GRACE_MS);
      expect(stderr).toMatch(/upgate store: \w+: stopping; no requests in flight\nupgate store: stopped\n/);
    });
  }

  it("lets an upload in flight at the signal finish, closing idle connections at once", async () => {
    const store = await serving<StoreInfo>(storeArgs("store-inflight", "--grace", `${GRACE_MS}ms`));
    const sdk = agent();
    await s3Uploads(sdk, store.info.url, "uploads", store.info);
    const slow = await slowPut(store.info.url, "uploads", store.info);
    await expectInFlightFinishes(store, slow, sdk, [store.info.url], 200);
  });

  it("cuts an upload still running at the end of the grace period, and exits 0", async () => {
    const graceMs = 1_000;
    const store = await serving<StoreInfo>(storeArgs("store-cut", "--grace", `${graceMs}ms`));
    const slow = await slowPut(store.info.url, "uploads", store.info, false);
    const stderr = await expectCleanExit(store, "SIGTERM", graceMs);
    await expect(slow.answer).rejects.toThrow();
    expect(stderr).toMatch(/upgate store: stopped; cut 1 request\(s\) still running after 1000 ms\n/);
  });
});

describe("upgate dev stops", { timeout: 120_000 }, () => {
  type DevInfo = { gatewayUrl: string; storeUrl: string; bucket: string } & Credentials;
  let config: string;
  beforeAll(async () => {
    config = join(dir, "dev-routes.json");
    await writeFile(config, JSON.stringify({ routes: FLOW_ROUTES }));
  });
  const devArgs = (name: string, ...more: string[]) => [
    "dev",
    "--port",
    "0",
    "--store-port",
    "0",
    "--data-dir",
    join(dir, name),
    "--config",
    config,
    "--log-level",
    "silent",
    "--json",
    ...more,
  ];

  async function devToken(a: KeepAliveAgent, gatewayUrl: string): Promise<string> {
    const session = await sendJson(a, "POST", `${gatewayUrl}/v1/dev/session`, { user: "ada" });
    expect(session.status).toBe(201);
    return session.json.token as string;
  }

  it("on SIGTERM within the grace period after uploads of each kind through the gateway and the SDK, connections kept alive", async () => {
    const dev = await serving<DevInfo>(devArgs("dev-idle"));
    const browser = agent();
    await uploadEachKind(browser, dev.info.gatewayUrl, await devToken(browser, dev.info.gatewayUrl));
    const sdk = agent();
    await s3Uploads(sdk, dev.info.storeUrl, dev.info.bucket, dev.info);
    expect(browser.open(dev.info.gatewayUrl)).toBeGreaterThan(0);
    expect(sdk.open()).toBeGreaterThan(0);
    const stderr = await expectCleanExit(dev, "SIGTERM", DEFAULT_GRACE_MS);
    expect(stderr).toMatch(/upgate dev: SIGTERM: stopping; no requests in flight\nupgate dev: stopped\n/);
    expectLedgerFlushed(join(dir, "dev-idle", "ledger.db"));
  });

  it("lets an upload to its store in flight at SIGINT finish, closing idle connections at once", async () => {
    const dev = await serving<DevInfo>(devArgs("dev-inflight", "--grace", `${GRACE_MS}ms`));
    const browser = agent();
    await uploadEachKind(browser, dev.info.gatewayUrl, await devToken(browser, dev.info.gatewayUrl));
    const slow = await slowPut(dev.info.storeUrl, dev.info.bucket, dev.info);
    await expectInFlightFinishes(dev, slow, browser, [dev.info.gatewayUrl, dev.info.storeUrl], 200);
  });
});

describe("upgate serve stops", { timeout: 120_000 }, () => {
  type ServeInfo = { url: string };
  let rig: DevRig;
  let config: string;
  beforeAll(async () => {
    rig = await startDevRig();
    config = join(rig.dir, "serve.config.json");
    await writeFile(
      config,
      JSON.stringify({
        storage: { endpoint: rig.stack.storeUrl, bucket: rig.stack.bucket, forcePathStyle: true },
        ledger: `sqlite:${join(rig.dir, "serve-ledger.db")}`,
        auth: { jwt: {} },
        logger: { level: "silent" },
        routes: FLOW_ROUTES,
      }),
    );
  });
  afterAll(async () => {
    await rig?.close();
  });
  const serveArgs = (...more: string[]) => ["serve", "--config", config, "--port", "0", "--json", ...more];
  const env = () => ({ ...rig.env, UPGATE_JWT_SECRET: JWT_SECRET });
  const token = () =>
    new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("ada")
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(JWT_SECRET));

  it("on SIGTERM within the grace period after uploads of each kind, API connections kept alive", async () => {
    const serve = await serving<ServeInfo>(serveArgs(), env());
    const api = agent();
    await uploadEachKind(api, serve.info.url, await token());
    expect(api.open(serve.info.url)).toBeGreaterThan(0);
    const stderr = await expectCleanExit(serve, "SIGTERM", DEFAULT_GRACE_MS);
    expect(stderr).toMatch(/upgate serve: SIGTERM: stopping; no requests in flight\nupgate serve: stopped\n/);
    expectLedgerFlushed(join(rig.dir, "serve-ledger.db"));
  });

  it("lets a request in flight at SIGINT finish, closing idle connections at once", async () => {
    const serve = await serving<ServeInfo>(serveArgs("--grace", `${GRACE_MS}ms`), env());
    const api = agent();
    const bearer = await token();
    await uploadEachKind(api, serve.info.url, bearer);
    const body = JSON.stringify({
      route: "notes",
      files: [{ name: "late.txt", type: "text/plain", size: 5 }],
    });
    const slow = await slowRequest(
      agent(),
      "POST",
      `${serve.info.url}/v1/uploads`,
      { "content-type": "application/json", authorization: `Bearer ${bearer}` },
      [body.slice(0, 20), body.slice(20)],
    );
    await expectInFlightFinishes(serve, slow, api, [serve.info.url], 201);
  });

  it("does not wait past the grace period for a webhook receiver that never answers", async () => {
    let received = 0;
    const receiver = createServer(() => {
      received++; // and never answers
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    try {
      const hooked = join(rig.dir, "hooked.config.mjs");
      const port = (receiver.address() as AddressInfo).port;
      const settings = {
        storage: { endpoint: rig.stack.storeUrl, bucket: rig.stack.bucket, forcePathStyle: true },
        ledger: `sqlite:${join(rig.dir, "hooked-ledger.db")}`,
        auth: { jwt: {} },
        logger: { level: "silent" },
      };
      const webhook = `{ url: "http://127.0.0.1:${port}/hook", secret: process.env.HOOK_SECRET }`;
      await writeFile(
        hooked,
        `export default { ...${JSON.stringify(settings)}, routes: { notes: { ...${JSON.stringify(FLOW_ROUTES.notes)}, webhook: ${webhook} } } };\n`,
      );
      const graceMs = 1_000;
      const serve = await serving<ServeInfo>(
        ["serve", "--config", hooked, "--port", "0", "--json", "--grace", `${graceMs}ms`],
        { ...env(), HOOK_SECRET: "shutdown-hook-secret-0123456789" },
      );
      const api = agent();
      await uploadThrough(
        api,
        serve.info.url,
        await token(),
        "notes",
        new TextEncoder().encode("hi\n"),
        "text/plain",
      );
      const deadline = Date.now() + 10_000;
      while (received === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(received).toBe(1);
      await expectCleanExit(serve, "SIGTERM", graceMs);
      expectLedgerFlushed(join(rig.dir, "hooked-ledger.db"), 1);
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });
});
