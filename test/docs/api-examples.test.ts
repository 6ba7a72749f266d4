import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "../../src/server/gateway.js";
import { toNodeHandler } from "../../src/server/node.js";
import { createMemoryBackend, createObjectStore, type ObjectStore } from "../../src/store/index.js";
import { PNG_1X1, signToken } from "../integ/gateway/support.js";
import { projectRoot } from "../support/cli.js";
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION } from "../support/store-fixture.js";
import {
  type HttpExample,
  matchHeader,
  matchJson,
  matchText,
  parseExamples,
  substitute,
} from "./http-examples.js";

/** The gateway docs/api.md describes: these routes, HS256 tokens, a store on another port. */
const JWT_SECRET = "api-docs-jwt-secret-0123456789abcdef";

let store: ObjectStore;
let gateway: Gateway;
let server: Server;
let base: string;
let examples: HttpExample[];
const vars: Record<string, string> = {};

beforeAll(async () => {
  store = createObjectStore({
    backend: createMemoryBackend(),
    credentials: [{ ...TEST_CREDENTIALS }],
    buckets: [TEST_BUCKET],
    region: TEST_REGION,
  });
  await store.listen(0, "127.0.0.1");
  gateway = createGateway({
    storage: {
      endpoint: store.url,
      region: TEST_REGION,
      bucket: TEST_BUCKET,
      credentials: { ...TEST_CREDENTIALS },
      forcePathStyle: true,
    },
    ledger: "sqlite::memory:",
    auth: { jwt: { secret: JWT_SECRET } },
    logger: { level: "silent" },
    routes: {
      images: { types: ["image/png", "image/jpeg"], maxSize: "10MB" },
      videos: { types: ["video/*"], maxSize: "5GB", strategy: "multipart", partSize: "5MB" },
    },
  });
  server = createServer(toNodeHandler(gateway));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  vars.token = await signToken("ada", { secret: JWT_SECRET });
  examples = parseExamples(await readFile(join(projectRoot, "docs/api.md"), "utf8"));
});
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await gateway?.close();
  await store?.close();
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function replay(example: HttpExample): Promise<string[]> {
  const { request, response } = example;
  const target = substitute(request.target, vars);
  const url = target.startsWith("/") ? `${base}${target}` : target;
  const headers = Object.fromEntries(request.headers.map(([n, v]) => [n, substitute(v, vars)]));
  const body =
    request.body === "{{png}}" ? PNG_1X1 : request.body ? substitute(request.body, vars) : undefined;
  const res = await fetch(url, { method: request.method, headers, body, redirect: "manual" });
  const problems: string[] = [];
  if (res.status !== response.status) problems.push(`status: expected ${response.status}, got ${res.status}`);
  for (const [name, value] of response.headers) {
    if (!matchHeader(value, res.headers.get(name), vars)) {
      problems.push(`header ${name}: expected ${value}, got ${res.headers.get(name)}`);
    }
  }
  const text = await res.text();
  if (response.body === "") {
    if (text !== "") problems.push(`body: expected none, got ${text.slice(0, 200)}`);
  } else if (isJson(response.body)) {
    problems.push(...matchJson(JSON.parse(response.body), JSON.parse(text), vars));
  } else if (!matchText(response.body, text, vars)) {
    problems.push(`body: expected ${response.body}, got ${text.slice(0, 200)}`);
  }
  return problems;
}

describe("docs/api.md", () => {
  it("has examples for every endpoint of the gateway", () => {
    const covered = new Set(
      examples.map(
        (e) => `${e.request.method} ${e.request.target.replace(/\{\{\w+\}\}/g, ":id").split("?")[0]}`,
      ),
    );
    for (const endpoint of [
      "GET /v1/routes",
      "POST /v1/uploads",
      "GET /v1/uploads",
      "POST /v1/uploads/:id/parts",
      "POST /v1/uploads/:id/complete",
      "DELETE /v1/uploads/:id",
      "GET /v1/files/:id",
      "GET /healthz",
      "GET /metrics",
    ]) {
      expect(covered, endpoint).toContain(endpoint);
    }
  });

  it("every example, replayed in order against a real gateway and store, gets the documented answer", async () => {
    expect(examples.length).toBeGreaterThan(8);
    for (const example of examples) {
      const problems = await replay(example);
      expect(problems, `${example.title}: ${example.request.method} ${example.request.target}`).toEqual([]);
    }
  });
});
