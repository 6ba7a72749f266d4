/**
 * Completion without the client: an upload whose URLs lapsed before anyone completed it is
 * completed by the sweeper when its object (or every part) is stored, and verified exactly as
 * `complete` would verify it (hook and webhook told completedBy "sweeper", quota still charged);
 * a failing object is rejected and removed; nothing stored, or a part missing, expires once past
 * the grace period. A complete racing the sweeper shares its one verification.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UploadCompleteContext } from "../../../src/server/config/types.js";
import { createGateway, type Gateway } from "../../../src/server/gateway.js";
import { createSqliteLedger } from "../../../src/server/ledger/sqlite.js";
import type { WebhookEvent } from "../../../src/server/webhook/types.js";
import { countStorageCalls } from "../../support/storage-calls.js";
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION } from "../../support/store-fixture.js";
import { sendParts } from "../gateway/signed-parts.js";
import {
  bytes,
  type ConfigOverrides,
  complete,
  createUpload,
  download,
  type Harness,
  type Json,
  JWT_SECRET,
  MiB,
  PNG_1X1,
  postForm,
  putWith,
  sha256b64,
  signToken,
  startGateway,
} from "../gateway/support.js";

const MINUTE = 60_000;
/** The URLs (1 minute) have lapsed; the grace period (5 minutes) is not over. */
const lapsed = () => new Date(Date.now() + 2 * MINUTE);
/** Past the URLs and the grace period. */
const pastGrace = () => new Date(Date.now() + 10 * MINUTE);
const png = { name: "a.png", type: "image/png", size: PNG_1X1.length };

/** A webhook receiver that keeps the events it is sent. */
async function receiver(): Promise<{ url: string; events: WebhookEvent[]; close(): Promise<void> }> {
  const events: WebhookEvent[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      events.push(JSON.parse(body));
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    events,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function routes(
  hook: (ctx: UploadCompleteContext) => void,
  webhookUrl?: string,
): NonNullable<ConfigOverrides["routes"]> {
  return {
    images: {
      types: ["image/png"],
      maxSize: "1MB",
      expiresIn: "1m",
      quota: { files: 10 },
      onUploadComplete: hook,
      ...(webhookUrl !== undefined && {
        webhook: { url: webhookUrl, secret: "whsec_sweeper_completion_0123" },
      }),
    },
    forms: {
      types: ["image/png"],
      maxSize: "1MB",
      expiresIn: "1m",
      strategy: "post",
      onUploadComplete: hook,
    },
    videos: {
      types: ["application/octet-stream"],
      maxSize: "20MB",
      expiresIn: "1m",
      strategy: "multipart",
      partSize: "5MB",
      onUploadComplete: hook,
    },
  };
}

/** A 6 MiB multipart upload (two parts) with the given parts in storage; never completed. */
async function multipart(h: Harness, token: string, partsToSend: number[]) {
  const data = bytes(6 * MiB, 5);
  const { res, body } = await createUpload(h, token, "videos", {
    name: "clip.bin",
    type: "application/octet-stream",
    size: data.length,
  });
  expect(res.status).toBe(201);
  const [mp] = body.uploads;
  // Each part with its SHA-256 signed, as the client sends it (a COMPOSITE SHA-256 upload).
  await sendParts(h, token, mp, data, partsToSend);
  return { mp, data };
}

async function putOnly(h: Harness, token: string, data: Uint8Array = PNG_1X1): Promise<Json> {
  const put = (await createUpload(h, token, "images", png)).body.uploads[0];
  expect((await putWith(put, data)).status).toBe(200);
  return put;
}

async function downloaded(h: Harness, token: string, id: string): Promise<string> {
  const { file } = await download(h, token, id);
  expect(file.status).toBe(200);
  return sha256b64(new Uint8Array(await file.arrayBuffer()));
}

async function verifications(gateway: Gateway): Promise<number> {
  const metric = await gateway.metrics.getSingleMetric("upgate_verifications_total")!.get();
  return metric.values.find((v) => v.labels.outcome === "verified")?.value ?? 0;
}

describe("the sweeper completes uploads nobody completed", () => {
  let h: Harness;
  let hooks: UploadCompleteContext[];
  let webhooks: Awaited<ReturnType<typeof receiver>>;
  let token: string;

  beforeAll(async () => {
    webhooks = await receiver();
    token = await signToken("alice");
  });
  afterAll(async () => {
    await webhooks.close();
  });
  beforeEach(async () => {
    hooks = [];
    webhooks.events.length = 0;
    h = await startGateway({
      sweep: { grace: "5m" },
      routes: routes((ctx) => hooks.push(ctx), webhooks.url),
    });
  });
  afterEach(async () => {
    await h.close();
  });

  it("a PUT: verified, hook and webhook told completedBy sweeper, quota kept, downloadable", async () => {
    const put = await putOnly(h, token);
    // Not before the URLs lapse: the client may still complete.
    expect((await h.gateway.sweep({ now: new Date(Date.now() + 30_000) })).counts.verified).toBe(0);

    const report = await h.gateway.sweep({ now: lapsed() });
    expect(report.verified).toEqual([{ id: put.id, userId: "alice", route: "images", key: put.key }]);
    expect(report.counts).toMatchObject({ verified: 1, rejected: 0, expired: 0, failed: 0 });
    const row = await h.gateway.ledger.get(put.id);
    expect(row).toMatchObject({
      status: "verified",
      verifiedSize: PNG_1X1.length,
      verifiedType: "image/png",
    });
    expect(row?.completedAt).toBeInstanceOf(Date);
    expect(await h.gateway.ledger.usage("alice", "images", undefined, new Date())).toEqual({
      bytes: PNG_1X1.length,
      files: 1,
    });
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      completedBy: "sweeper",
      principal: { userId: "alice", via: "ledger" },
      route: "images",
      upload: { id: put.id, status: "verified" },
    });
    expect(hooks[0]!.request).toBeUndefined();
    expect(await downloaded(h, token, put.id)).toBe(sha256b64(PNG_1X1));

    // The client's late complete gets the verdict from the ledger; nothing runs twice.
    expect((await complete(h, token, put.id)).body.upload).toMatchObject({ id: put.id, status: "verified" });
    expect(hooks).toHaveLength(1);
    await h.gateway.close();
    expect(webhooks.events).toHaveLength(1);
    expect(webhooks.events[0]).toMatchObject({
      type: "upload.verified",
      completedBy: "sweeper",
      upload: { id: put.id, status: "verified" },
    });
  });

  it("a POST form: verified and promoted to a key no form can write", async () => {
    const form = (await createUpload(h, token, "forms", png)).body.uploads[0];
    expect(form.method).toBe("POST");
    expect((await postForm(form, PNG_1X1, "image/png")).status).toBe(204);

    const report = await h.gateway.sweep({ now: lapsed() });
    expect(report.counts.verified).toBe(1);
    const row = await h.gateway.ledger.get(form.id);
    expect(row?.status).toBe("verified");
    expect(row?.key).not.toBe(form.key);
    expect(report.verified[0]?.key).toBe(row?.key);
    expect(await h.gateway.storage.head(form.key)).toBeUndefined();
    expect(await downloaded(h, token, form.id)).toBe(sha256b64(PNG_1X1));
    expect(hooks.map((c) => [c.completedBy, c.upload.key])).toEqual([["sweeper", row?.key]]);
  });

  it("a multipart upload with every part stored: assembled, verified, downloadable", async () => {
    const { mp, data } = await multipart(h, token, [1, 2]);
    const report = await h.gateway.sweep({ now: lapsed() });
    expect(report.verified.map((v) => v.id)).toEqual([mp.id]);
    expect(report.abortedMultipart).toEqual([]);
    expect((await h.gateway.ledger.get(mp.id))?.status).toBe("verified");
    expect(await h.gateway.storage.listMultipartUploads("videos/")).toEqual([]);
    expect(await downloaded(h, token, mp.id)).toBe(sha256b64(data));
    expect(hooks.map((c) => c.completedBy)).toEqual(["sweeper"]);
  });

  it("a multipart upload missing a part: left alone within the grace, then expired and aborted", async () => {
    const { mp } = await multipart(h, token, [1]);
    const early = await h.gateway.sweep({ now: lapsed() });
    expect(early.counts).toMatchObject({ verified: 0, rejected: 0, expired: 0, abortedMultipart: 0 });
    expect((await h.gateway.ledger.get(mp.id))?.status).toBe("pending");

    const late = await h.gateway.sweep({ now: pastGrace() });
    expect(late.expired.map((e) => e.id)).toEqual([mp.id]);
    expect(late.abortedMultipart).toEqual([{ key: mp.key, uploadId: expect.any(String), reason: "expired" }]);
    expect((await h.gateway.ledger.get(mp.id))?.status).toBe("expired");
    expect(await h.gateway.ledger.usage("alice", "videos", undefined, new Date())).toEqual({
      bytes: 0,
      files: 0,
    });
    expect(hooks).toEqual([]);
  });

  it("an object that fails verification: rejected as complete would, removed, quota released", async () => {
    // The declared length, but not a PNG: the sniff refuses it.
    const put = await putOnly(h, token, new Uint8Array(PNG_1X1.length).fill(0x41));
    const report = await h.gateway.sweep({ now: lapsed() });
    expect(report.rejected).toEqual([
      { id: put.id, userId: "alice", route: "images", key: put.key, code: "VERIFY_CONTENT_MISMATCH" },
    ]);
    expect(report.counts).toMatchObject({ verified: 0, rejected: 1, expired: 0 });
    expect(await h.gateway.ledger.get(put.id)).toMatchObject({
      status: "rejected",
      reason: "VERIFY_CONTENT_MISMATCH",
    });
    expect(await h.gateway.storage.head(put.key)).toBeUndefined();
    expect(await h.gateway.ledger.usage("alice", "images", undefined, new Date())).toEqual({
      bytes: 0,
      files: 0,
    });
    expect(hooks).toEqual([]);
    // The client's late complete hears the same rejection.
    expect((await complete(h, token, put.id)).body.error.code).toBe("VERIFY_CONTENT_MISMATCH");
  });

  it("nothing stored: left pending within the grace, then expired; verification never starts", async () => {
    const put = (await createUpload(h, token, "images", png)).body.uploads[0];
    const early = await h.gateway.sweep({ now: lapsed() });
    expect(early.counts).toMatchObject({ verified: 0, rejected: 0, expired: 0 });
    expect((await h.gateway.ledger.get(put.id))?.status).toBe("pending");
    expect(await verificationOutcomes(h.gateway)).toEqual([]);

    const late = await h.gateway.sweep({ now: pastGrace() });
    expect(late.expired.map((e) => e.id)).toEqual([put.id]);
    expect((await h.gateway.ledger.get(put.id))?.status).toBe("expired");
    expect(hooks).toEqual([]);
  });

  it("a dry run reports what it would verify, reject and expire, and changes nothing", async () => {
    const good = await putOnly(h, token);
    const bad = await putOnly(h, token, new Uint8Array(PNG_1X1.length).fill(0x41));
    const { mp } = await multipart(h, token, [1, 2]);
    const empty = (await createUpload(h, token, "images", png)).body.uploads[0];

    const dry = await h.gateway.sweep({ now: pastGrace(), dryRun: true });
    expect(dry.verified.map((v) => v.id).sort()).toEqual([good.id, mp.id].sort());
    expect(dry.rejected.map((r) => [r.id, r.code])).toEqual([[bad.id, "VERIFY_CONTENT_MISMATCH"]]);
    expect(dry.expired.map((e) => e.id)).toEqual([empty.id]);
    for (const id of [good.id, bad.id, mp.id, empty.id]) {
      expect((await h.gateway.ledger.get(id))?.status).toBe("pending");
    }
    expect(await h.gateway.storage.head(bad.key)).toBeDefined();
    expect(hooks).toEqual([]);

    const real = await h.gateway.sweep({ now: pastGrace() });
    expect(real.verified.map((v) => v.id).sort()).toEqual(dry.verified.map((v) => v.id).sort());
    expect(real.rejected.map((r) => r.id)).toEqual([bad.id]);
    expect(real.expired.map((e) => e.id)).toEqual([empty.id]);
  });

  it("leaves an upload another instance is verifying (its lease live), even past the grace", async () => {
    const put = await putOnly(h, token);
    await h.gateway.ledger.transition(put.id, ["pending"], "uploaded");
    const now = Date.now();
    await h.gateway.ledger.claimVerification(
      put.id,
      "another-instance",
      new Date(now + 60_000),
      new Date(now),
    );
    const report = await h.gateway.sweep({ now: pastGrace() });
    expect(report.counts).toMatchObject({ verified: 0, rejected: 0, expired: 0, failed: 0 });
    expect((await h.gateway.ledger.get(put.id))?.status).toBe("uploaded");
    expect(await h.gateway.storage.head(put.key)).toBeDefined();

    // Once that instance lets go (it died, say), the next sweep verifies.
    await h.gateway.ledger.releaseVerification(put.id, "another-instance");
    expect((await h.gateway.sweep({ now: pastGrace() })).verified.map((v) => v.id)).toEqual([put.id]);
  });
});

async function verificationOutcomes(gateway: Gateway): Promise<string[]> {
  const metric = await gateway.metrics.getSingleMetric("upgate_verifications_total")!.get();
  return metric.values.filter((v) => v.value > 0).map((v) => String(v.labels.outcome));
}

/** Resolves when `method` of the storage client is first called (the call itself goes on). */
function firstCall(storage: object, method: string): Promise<void> {
  const methods = storage as Record<string, (...args: unknown[]) => unknown>;
  const original = methods[method]!;
  return new Promise((resolve) => {
    methods[method] = (...args) => {
      resolve();
      return original.apply(storage, args);
    };
  });
}

/** Holds every ranged GET (the sniff) until released, saying when the first one arrives. */
function holdSniffs(h: Harness) {
  const storage = h.gateway.storage as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = storage.getRange!.bind(storage);
  let arrived!: () => void;
  let release!: () => void;
  const first = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  storage.getRange = async (...args) => {
    arrived();
    await released;
    return original(...args);
  };
  return { first, release };
}

describe("a complete racing the sweeper: one verification", () => {
  let h: Harness;
  let hooks: UploadCompleteContext[];
  let token: string;
  beforeEach(async () => {
    hooks = [];
    token = await signToken("bob");
    h = await startGateway({ sweep: { grace: "5m" }, routes: routes((ctx) => hooks.push(ctx)) });
  });
  afterEach(async () => {
    await h.close();
  });

  it("a sweep during a complete's verification leaves the upload to it: the client's verdict, one hook", async () => {
    const put = await putOnly(h, token);
    const hold = holdSniffs(h);
    const completing = complete(h, token, put.id);
    await hold.first;
    const sweeping = h.gateway.sweep({ now: lapsed() });
    await new Promise((resolve) => setTimeout(resolve, 50));
    hold.release();
    const [done, report] = await Promise.all([completing, sweeping]);
    expect(done.body.upload).toMatchObject({ id: put.id, status: "verified" });
    expect(report.counts).toMatchObject({ verified: 0, rejected: 0, expired: 0, failed: 0 });
    expect(hooks.map((c) => c.completedBy)).toEqual(["client"]);
    expect(await verifications(h.gateway)).toBe(1);
  });

  it("a complete during the sweeper's verification waits for its verdict: one verification, one hook", async () => {
    const put = await putOnly(h, token);
    const hold = holdSniffs(h);
    const sweeping = h.gateway.sweep({ now: lapsed() });
    await hold.first;
    const completing = complete(h, token, put.id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    hold.release();
    const [done, report] = await Promise.all([completing, sweeping]);
    expect(done.res.status).toBe(200);
    expect(done.body.upload).toMatchObject({ id: put.id, status: "verified" });
    expect(report.verified.map((v) => v.id)).toEqual([put.id]);
    expect(hooks.map((c) => c.completedBy)).toEqual(["sweeper"]);
    expect(await verifications(h.gateway)).toBe(1);
  });

  it("completes and sweeps started together, on multipart uploads: each verified once, one hook each", async () => {
    const uploads = await Promise.all([1, 2, 3].map(() => multipart(h, token, [1, 2])));
    const ids = uploads.map(({ mp }) => mp.id);
    // The completes start once the sweeper is assembling its first upload: it has that one's lease.
    const assembling = firstCall(h.gateway.storage, "completeMultipart");
    const sweeping = h.gateway.sweep({ now: lapsed() });
    await assembling;
    const [answers, report] = await Promise.all([
      Promise.all(ids.map((id) => complete(h, token, id))),
      sweeping,
    ]);
    expect(report.counts.verified).toBeGreaterThanOrEqual(1);
    for (const [i, answer] of answers.entries()) {
      expect(answer.res.status).toBe(200);
      expect(answer.body.upload).toMatchObject({ id: ids[i], status: "verified" });
    }
    expect(report.counts).toMatchObject({ rejected: 0, expired: 0, failed: 0 });
    expect(await verifications(h.gateway)).toBe(3);
    expect(hooks.map((c) => c.upload.id).sort()).toEqual([...ids].sort());
    expect(hooks.filter((c) => c.completedBy === "sweeper")).toHaveLength(report.counts.verified);
  });
});

describe("a complete on one instance racing a sweep on another (one SQLite ledger file)", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-sweep-race-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("verifies each upload once: the verification lease decides who", async () => {
    const hooks: UploadCompleteContext[] = [];
    const path = join(dir, "ledger.db");
    const config = { sweep: { grace: "5m" }, routes: routes((ctx) => hooks.push(ctx)) };
    const h = await startGateway({ ...config, ledger: createSqliteLedger(path) });
    const sweeper = createGateway({
      ...config,
      ledger: `sqlite:${path}`,
      auth: { jwt: { secret: JWT_SECRET } },
      logger: { level: "silent" },
      storage: {
        endpoint: h.storeUrl,
        region: TEST_REGION,
        bucket: TEST_BUCKET,
        credentials: { ...TEST_CREDENTIALS },
        forcePathStyle: true,
      },
    });
    try {
      const token = await signToken("carol");
      const uploads = await Promise.all([1, 2, 3].map(() => multipart(h, token, [1, 2])));
      const ids = uploads.map(({ mp }) => mp.id);
      const calls = [countStorageCalls(h.gateway.storage), countStorageCalls(sweeper.storage)];
      const assembling = firstCall(sweeper.storage, "completeMultipart");
      const sweeping = sweeper.sweep({ now: lapsed() });
      await assembling;
      const [answers, report] = await Promise.all([
        Promise.all(ids.map((id) => complete(h, token, id))),
        sweeping,
      ]);
      // The first upload's complete waited for the sweeper's lease and answered its verdict.
      expect(report.counts.verified).toBeGreaterThanOrEqual(1);
      for (const [i, answer] of answers.entries()) {
        expect(answer.body.upload).toMatchObject({ id: ids[i], status: "verified" });
      }
      expect(report.counts).toMatchObject({ rejected: 0, expired: 0, failed: 0 });
      expect((await verifications(h.gateway)) + (await verifications(sweeper))).toBe(3);
      expect(calls.reduce((sum, c) => sum + (c.completeMultipart ?? 0), 0)).toBe(3);
      expect(hooks.map((c) => c.upload.id).sort()).toEqual([...ids].sort());
      expect(hooks.filter((c) => c.completedBy === "sweeper")).toHaveLength(report.counts.verified);
    } finally {
      await sweeper.close();
      await h.close();
    }
  });
});
