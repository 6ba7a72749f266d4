/**
 * One verification per upload: concurrent completes of one upload, in one gateway or across two
 * sharing a ledger and a store, read the object once and all get the same answer; a holder that
 * died is taken over once its lease ends; completes that check storage are rate-limited.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createGateway } from "../../../src/server/gateway.js";
import { createSqliteLedger } from "../../../src/server/ledger/sqlite.js";
import type { Ledger } from "../../../src/server/ledger/types.js";
import { createTestSchema, describePostgres } from "../../contract/ledger-postgres-env.js";
import { countStorageCalls, reads, type StorageCalls } from "../../support/storage-calls.js";
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION } from "../../support/store-fixture.js";
import { sendParts } from "./signed-parts.js";
import {
  bytes,
  type ConfigOverrides,
  createUpload,
  gatewayApi,
  type Harness,
  type Json,
  JWT_SECRET,
  json,
  MiB,
  PNG_1X1,
  putPng,
  putWith,
  sha256b64,
  signToken,
  startGateway,
} from "./support.js";

const CALLS = 20;

const routes: NonNullable<ConfigOverrides["routes"]> = {
  images: { types: ["image/png"], maxSize: "1MB" },
  videos: { types: ["application/octet-stream"], maxSize: "20MB", strategy: "multipart", partSize: "5MB" },
  limited: { types: ["image/png"], maxSize: "1MB", maxFiles: 2, rateLimit: { perMinute: 1 } },
};

type Api = Harness["api"];

/** A 6 MiB multipart upload (two parts, sha256 declared) with both parts in storage; its complete body. */
async function uploadedMultipart(api: Api, token: string): Promise<{ id: string; body: Json }> {
  const data = bytes(6 * MiB, 3);
  const { res, body } = await createUpload({ api }, token, "videos", {
    name: "clip.bin",
    type: "application/octet-stream",
    size: data.length,
    sha256: sha256b64(data),
  });
  if (res.status !== 201) throw new Error(`create answered ${res.status}`);
  const [mp] = body.uploads;
  // A COMPOSITE SHA-256 upload: every part is sent with its SHA-256 signed (POST /parts).
  const parts = (await sendParts({ api }, token, mp, data)).map(({ partNumber, etag }) => ({
    partNumber,
    etag,
  }));
  return { id: mp.id, body: { parts } };
}

/** Sends `count` completes at once, spread round-robin over `apis`; returns each status and body. */
async function completeAll(apis: Api[], token: string, id: string, body: Json = {}, count = CALLS) {
  const responses = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      apis[i % apis.length]!(`/v1/uploads/${id}/complete`, { token, body }),
    ),
  );
  return Promise.all(responses.map(async (res) => ({ status: res.status, body: await json(res) })));
}

function expectOneAnswer(answers: Array<{ status: number; body: Json }>) {
  for (const answer of answers) expect(answer).toEqual(answers[0]);
}

describe("concurrent completes in one gateway", () => {
  let h: Harness;
  let calls: StorageCalls;
  let token: string;
  beforeEach(async () => {
    h = await startGateway({ routes });
    calls = countStorageCalls(h.gateway.storage);
    token = await signToken("alice");
  });
  afterEach(async () => {
    await h.close();
  });

  test(`${CALLS} completes of one multipart upload run one verification and get one 200`, async () => {
    const { id, body } = await uploadedMultipart(h.api, token);
    const before = { ...calls };
    const answers = await completeAll([h.api], token, id, body);
    expect(answers[0]).toMatchObject({ status: 200, body: { upload: { id, status: "verified" } } });
    expectOneAnswer(answers);
    expect(calls.listParts! - (before.listParts ?? 0)).toBe(1);
    expect(calls.completeMultipart! - (before.completeMultipart ?? 0)).toBe(1);
    expect(calls.head! - (before.head ?? 0)).toBe(1);
  });

  test(`${CALLS} completes of a mismatching upload all get the same 422, from one verification`, async () => {
    const { res, body } = await createUpload(h, token, "images", {
      name: "a.png",
      type: "image/png",
      size: PNG_1X1.length,
    });
    expect(res.status).toBe(201);
    const [put] = body.uploads;
    // Same length, not a PNG: the sniff refuses it.
    expect((await putWith(put, new Uint8Array(PNG_1X1.length).fill(0x41))).status).toBe(200);
    const readsBefore = reads(calls);
    const answers = await completeAll([h.api], token, put.id);
    expect(answers[0]).toMatchObject({ status: 422, body: { error: { code: "VERIFY_CONTENT_MISMATCH" } } });
    expectOneAnswer(answers);
    // HEAD, then one ranged GET to sniff: one verification's reads.
    expect(reads(calls) - readsBefore).toBe(2);
  });

  test("a complete waits while another instance's lease is live and takes over once it ends", async () => {
    const put = await putPng(h, token);
    const ledger = h.gateway.ledger;
    await ledger.transition(put.id, ["pending"], "uploaded");
    const started = Date.now();
    expect(
      await ledger.claimVerification(put.id, "a-dead-instance", new Date(started + 700), new Date(started)),
    ).toBeDefined();
    const headsBefore = calls.head ?? 0;
    const [first, second] = await completeAll([h.api], token, put.id, {}, 2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
    expect(first).toMatchObject({ status: 200, body: { upload: { id: put.id, status: "verified" } } });
    expect(second).toEqual(first);
    expect(calls.head! - headsBefore).toBe(1);
  });

  test("a waiting complete answers the holder's verdict from the ledger, reading nothing", async () => {
    const put = await putPng(h, token);
    const ledger = h.gateway.ledger;
    await ledger.transition(put.id, ["pending"], "uploaded");
    const now = Date.now();
    await ledger.claimVerification(put.id, "another-instance", new Date(now + 60_000), new Date(now));
    const readsBefore = reads(calls);
    const waiting = h.api(`/v1/uploads/${put.id}/complete`, { token, body: {} });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The other instance's verdict.
    await ledger.transition(put.id, ["uploaded"], "rejected", { reason: "VERIFY_TYPE_MISMATCH" });
    const res = await waiting;
    expect(res.status).toBe(422);
    expect((await json(res)).error.code).toBe("VERIFY_TYPE_MISMATCH");
    expect(reads(calls)).toBe(readsBefore);
  });

  test("a waiting complete answers UPLOAD_NOT_UPLOADED when the holder found the upload incomplete", async () => {
    const put = await putPng(h, token);
    const ledger = h.gateway.ledger;
    await ledger.transition(put.id, ["pending"], "uploaded");
    const now = Date.now();
    await ledger.claimVerification(put.id, "another-instance", new Date(now + 60_000), new Date(now));
    const waiting = h.api(`/v1/uploads/${put.id}/complete`, { token, body: {} });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await ledger.transition(put.id, ["uploaded"], "pending");
    const res = await waiting;
    expect(res.status).toBe(409);
    expect((await json(res)).error.code).toBe("UPLOAD_NOT_UPLOADED");
    // The next complete verifies (the object is there) and succeeds.
    const again = await h.api(`/v1/uploads/${put.id}/complete`, { token, body: {} });
    expect(again.status).toBe(200);
  });
});

describe("complete rate limit", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startGateway({ routes });
  });
  afterEach(async () => {
    await h.close();
  });

  test("completes that check storage take tokens of perMinute × maxFiles; settled answers take none", async () => {
    const token = await signToken("bob");
    const file = { name: "a.png", type: "image/png", size: PNG_1X1.length, sha256: sha256b64(PNG_1X1) };
    const created = await h.api("/v1/uploads", { token, body: { route: "limited", files: [file, file] } });
    expect(created.status).toBe(201);
    const [first, second] = (await json(created)).uploads;
    expect((await putWith(first, PNG_1X1)).status).toBe(200);
    const complete = (id: string) => h.api(`/v1/uploads/${id}/complete`, { token, body: {} });

    // Bucket of 1 × 2 = 2: the first upload's verification, then the second's (not uploaded).
    expect((await complete(first.id)).status).toBe(200);
    expect((await complete(second.id)).status).toBe(409);
    const limited = await complete(second.id);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await json(limited)).error).toMatchObject({
      code: "RATE_LIMITED",
      details: { perMinute: 2, retryAfterSeconds: expect.any(Number) },
    });
    // A verified upload is answered from the ledger, however often.
    for (let i = 0; i < 5; i++) expect((await complete(first.id)).status).toBe(200);
  });

  test("concurrent completes of one upload share one verification, so they take one token", async () => {
    const token = await signToken("carol");
    const file = { name: "a.png", type: "image/png", size: PNG_1X1.length, sha256: sha256b64(PNG_1X1) };
    const created = await h.api("/v1/uploads", { token, body: { route: "limited", files: [file, file] } });
    const [first, second] = (await json(created)).uploads;
    for (const put of [first, second]) expect((await putWith(put, PNG_1X1)).status).toBe(200);
    const answers = await completeAll([h.api], token, first.id);
    expect(answers[0]!.status).toBe(200);
    expectOneAnswer(answers);
    // One token of the two was spent: the second upload still completes.
    expect((await h.api(`/v1/uploads/${second.id}/complete`, { token, body: {} })).status).toBe(200);
  });

  test("completes keep their own bucket: creates do not spend it, nor completes the create bucket", async () => {
    const token = await signToken("dave");
    const file = { name: "a.png", type: "image/png", size: PNG_1X1.length, sha256: sha256b64(PNG_1X1) };
    const created = await h.api("/v1/uploads", { token, body: { route: "limited", files: [file, file] } });
    expect(created.status).toBe(201);
    // The create bucket (1 per minute) is now empty; completing still works.
    expect((await h.api("/v1/uploads", { token, body: { route: "limited", files: [file] } })).status).toBe(
      429,
    );
    const [first] = (await json(created)).uploads;
    expect((await putWith(first, PNG_1X1)).status).toBe(200);
    expect((await h.api(`/v1/uploads/${first.id}/complete`, { token, body: {} })).status).toBe(200);
  });
});

/** A second gateway on the first one's store, with its own ledger instance. */
function secondGateway(h: Harness, ledger: Ledger) {
  const gateway = createGateway({
    ledger,
    auth: { jwt: { secret: JWT_SECRET } },
    logger: { level: "silent" },
    routes,
    storage: {
      endpoint: h.storeUrl,
      region: TEST_REGION,
      bucket: TEST_BUCKET,
      credentials: { ...TEST_CREDENTIALS },
      forcePathStyle: true,
    },
  });
  return { gateway, api: gatewayApi(gateway) };
}

/** Two gateways sharing one ledger database and one store race completes of one upload. */
async function raceTwoGateways(ledgers: [Ledger, Ledger]) {
  const h = await startGateway({ ledger: ledgers[0], routes });
  const other = secondGateway(h, ledgers[1]);
  try {
    const token = await signToken("erin");
    const { id, body } = await uploadedMultipart(h.api, token);
    const counts = [countStorageCalls(h.gateway.storage), countStorageCalls(other.gateway.storage)];
    const answers = await completeAll([h.api, other.api], token, id, body);
    expect(answers[0]).toMatchObject({ status: 200, body: { upload: { id, status: "verified" } } });
    expectOneAnswer(answers);
    const total = (name: string) => counts.reduce((sum, c) => sum + (c[name] ?? 0), 0);
    expect(total("head")).toBe(1);
    expect(total("listParts")).toBe(1);
  } finally {
    await other.gateway.close();
    await h.close();
  }
}

describe("two gateways on one SQLite file", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-complete-once-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test(`${CALLS} completes over two instances run one verification`, async () => {
    const path = join(dir, "ledger.db");
    const ledgers: [Ledger, Ledger] = [createSqliteLedger(path), createSqliteLedger(path)];
    try {
      await raceTwoGateways(ledgers);
    } finally {
      await Promise.all(ledgers.map((l) => l.close()));
    }
  });
});

describePostgres("two gateways on one Postgres ledger", (url) => {
  test(`${CALLS} completes over two instances run one verification`, async () => {
    const database = await createTestSchema(url);
    const ledgers: [Ledger, Ledger] = [database.open(), database.open()];
    try {
      await raceTwoGateways(ledgers);
    } finally {
      await Promise.all(ledgers.map((l) => l.close()));
      await database.dispose();
    }
  });
});
