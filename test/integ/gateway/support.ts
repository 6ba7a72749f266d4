import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { SignJWT } from "jose";
import { pino } from "pino";
import type { UpgateConfig } from "../../../src/server/config/types.js";
import { createGateway, type Gateway } from "../../../src/server/gateway.js";
import type { Ledger } from "../../../src/server/ledger/types.js";
import {
  createMemoryBackend,
  createObjectStore,
  type ObjectStore,
  type ObjectStoreOptions,
} from "../../../src/store/index.js";
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION } from "../../support/store-fixture.js";

import { PNG_1X1 } from "../storage/support.js";

export { PNG_1X1 };

export const JWT_SECRET = "gateway-test-jwt-secret-0123456789abcdef";
export const MiB = 1024 * 1024;

/** A JSON body whose shape the test's assertions check. */
// biome-ignore lint/suspicious/noExplicitAny: the tests assert on these bodies; typing each one adds nothing.
export type Json = any;
export const json = (res: Response): Promise<Json> => res.json() as Promise<Json>;

export const sha256b64 = (data: Uint8Array | string): string =>
  createHash("sha256").update(data).digest("base64");

/** Bytes that no sniffer recognises (for application/octet-stream routes), deterministic per seed. */
export function bytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  // A leading zero and "x" rule out every file-type signature.
  out[0] = 0x78;
  out[1] = 0x00;
  return out;
}

export function signToken(
  userId: string,
  options: { expiresIn?: string | number; secret?: string; claims?: Record<string, unknown> } = {},
): Promise<string> {
  return new SignJWT(options.claims ?? {})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "5m")
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}

/** A pino logger that keeps every line, for tests that read the logs. */
export function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

export interface Harness {
  gateway: Gateway;
  store: ObjectStore;
  storeUrl: string;
  /** Calls the gateway's API (JSON body, bearer token when given). */
  api(path: string, init?: ApiInit): Promise<Response>;
  /** Makes the store unreachable (its port closed) until restoreStorage(). */
  stopStorage(): Promise<void>;
  restoreStorage(): Promise<void>;
  close(): Promise<void>;
}

/** The client IP gateway.fetch() reports unless a call names another. */
export const CLIENT_IP = "192.0.2.10";

export interface ApiInit {
  method?: string;
  /** JSON-encoded unless a string or bytes (sent as given). */
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  /** The client IP gateway.fetch() reports; CLIENT_IP unless given. */
  clientIp?: string;
}

/** Calls a gateway's API in-process: POST when there is a body, a bearer token when given. */
export function gatewayApi(gateway: Gateway): (path: string, init?: ApiInit) => Promise<Response> {
  return (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    let body: string | Uint8Array | undefined;
    if (init.body !== undefined) {
      headers["content-type"] ??= "application/json";
      body =
        typeof init.body === "string" || init.body instanceof Uint8Array
          ? init.body
          : JSON.stringify(init.body);
    }
    return gateway.fetch(
      new Request(`http://gateway.test${path}`, {
        method: init.method ?? (body !== undefined ? "POST" : "GET"),
        headers,
        ...(body !== undefined && { body }),
      }),
      { clientIp: init.clientIp ?? CLIENT_IP },
    );
  };
}

export type ConfigOverrides = Partial<Omit<UpgateConfig, "storage">> & {
  storage?: Partial<UpgateConfig["storage"]>;
};

/** The embedded store on a free port (memory backend, `storeOptions` added) and a gateway in front of it. */
export async function startGateway(
  overrides: ConfigOverrides = {},
  storeOptions: Partial<ObjectStoreOptions> = {},
): Promise<Harness> {
  const store = createObjectStore({
    backend: createMemoryBackend(),
    credentials: [{ ...TEST_CREDENTIALS }],
    buckets: [TEST_BUCKET],
    region: TEST_REGION,
    ...storeOptions,
  });
  await store.listen(0, "127.0.0.1");
  const storeUrl = store.url;
  const port = Number(new URL(storeUrl).port);
  const { storage, ...rest } = overrides;
  const config: UpgateConfig = {
    ledger: "sqlite::memory:",
    auth: { jwt: { secret: JWT_SECRET } },
    logger: { level: "silent" },
    routes: {
      images: { types: ["image/png", "image/jpeg"], maxSize: "1MB" },
    },
    ...rest,
    storage: {
      endpoint: storeUrl,
      region: TEST_REGION,
      bucket: TEST_BUCKET,
      credentials: { ...TEST_CREDENTIALS },
      forcePathStyle: true,
      ...storage,
    },
  };
  const gateway = createGateway(config);
  let down = false;
  return {
    gateway,
    store,
    storeUrl,
    api: gatewayApi(gateway),
    async stopStorage() {
      down = true;
      await new Promise<void>((resolve) => {
        store.server.close(() => resolve());
        store.server.closeAllConnections();
      });
    },
    async restoreStorage() {
      down = false;
      await store.listen(port, "127.0.0.1");
    },
    async close() {
      await gateway.close();
      if (down) await store.listen(port, "127.0.0.1");
      await store.close();
    },
  };
}

/** POST /v1/uploads for one file; returns the response and its JSON. */
export async function createUpload(
  h: Pick<Harness, "api">,
  token: string,
  route: string,
  file: { name: string; type: string; size: number; sha256?: string; metadata?: Record<string, string> },
): Promise<{ res: Response; body: Json }> {
  const res = await h.api("/v1/uploads", { token, body: { route, files: [file] } });
  return { res, body: await json(res) };
}

export async function complete(
  h: Pick<Harness, "api">,
  token: string,
  id: string,
  body?: unknown,
): Promise<{ res: Response; body: Json }> {
  const res = await h.api(`/v1/uploads/${id}/complete`, {
    method: "POST",
    token,
    ...(body !== undefined && { body }),
  });
  return { res, body: await json(res) };
}

/** PUTs through an instruction's URL with exactly its headers. */
export function putWith(
  instruction: { url: string; headers: Record<string, string> },
  body: Uint8Array,
  headers?: Record<string, string>,
) {
  return fetch(instruction.url, { method: "PUT", headers: headers ?? instruction.headers, body });
}

/** Creates an upload of PNG_1X1 (its sha256 declared) and PUTs the bytes; returns the instruction. */
export async function putPng(
  h: Pick<Harness, "api">,
  token: string,
  name = "a.png",
  route = "images",
): Promise<Json> {
  const { res, body } = await createUpload(h, token, route, {
    name,
    type: "image/png",
    size: PNG_1X1.length,
    sha256: sha256b64(PNG_1X1),
  });
  if (res.status !== 201)
    throw new Error(`create: expected a 201, got ${res.status}: ${JSON.stringify(body)}`);
  const put = body.uploads[0];
  const stored = await putWith(put, PNG_1X1);
  if (stored.status !== 200)
    throw new Error(`PUT: expected a 200, got ${stored.status}: ${await stored.text()}`);
  return put;
}

/** Posts a form from an instruction's fields, the file last. */
export function postForm(
  instruction: { url: string; fields: Record<string, string> },
  body: Uint8Array,
  type: string,
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(instruction.fields)) form.append(name, value);
  form.append("file", new Blob([body], { type }), "upload.bin");
  return fetch(instruction.url, { method: "POST", body: form });
}

/** Downloads a verified file through GET /v1/files/:id, following the 302 by hand. */
export async function download(
  h: Pick<Harness, "api">,
  token: string,
  id: string,
): Promise<{ redirect: Response; file: Response }> {
  const redirect = await h.api(`/v1/files/${id}`, { token });
  const location = redirect.headers.get("location");
  if (redirect.status !== 302 || !location)
    throw new Error(`expected a 302, got ${redirect.status}: ${await redirect.text()}`);
  return { redirect, file: await fetch(location) };
}

/** Fetches of storage credentials from their provider so far, with the given outcome. */
export async function refreshes(gateway: Gateway, outcome = "ok"): Promise<number> {
  const metric = (await gateway.metrics.getMetricsAsJSON()).find(
    (m) => m.name === "upgate_storage_credential_refreshes_total",
  );
  return (metric?.values ?? [])
    .filter((v) => v.labels.outcome === outcome)
    .reduce((sum, v) => sum + v.value, 0);
}

export type { Ledger };
