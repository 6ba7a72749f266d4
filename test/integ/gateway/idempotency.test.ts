import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestSchema, describePostgres } from "../../contract/ledger-postgres-env.js";
import {
  complete,
  type Harness,
  json,
  MiB,
  PNG_1X1,
  putWith,
  sha256b64,
  signToken,
  startGateway,
} from "./support.js";

const DAY = 86_400_000;
const png = (name: string) => ({ name, type: "image/png", size: PNG_1X1.length, sha256: sha256b64(PNG_1X1) });

describe("POST /v1/uploads with an Idempotency-Key", () => {
  let h: Harness;
  let alice: string;
  let bob: string;
  let keyCounter = 0;
  const newKey = () => `test-key-${++keyCounter}-${Date.now()}`;

  beforeAll(async () => {
    h = await startGateway({
      routes: {
        // Room for exactly two PNGs a day: a second reservation of a two-file request would be refused.
        images: {
          types: ["image/png"],
          maxSize: "1MB",
          quota: { bytes: 2 * PNG_1X1.length, period: "day" },
        },
        videos: {
          types: ["application/octet-stream"],
          maxSize: "100MB",
          strategy: "multipart",
          partSize: "5MB",
        },
        clips: {
          types: ["application/octet-stream"],
          maxSize: "100MB",
          strategy: "multipart",
          partSize: "5MB",
          checksum: { algorithm: "crc64nvme" },
        },
        notes: { types: ["text/plain"], maxSize: "1MB", quota: { files: 1, period: "day" } },
      },
    });
    alice = await signToken("alice");
    bob = await signToken("bob");
  });
  afterAll(async () => {
    await h.close();
  });

  const create = (token: string, body: unknown, key?: string) =>
    h.api("/v1/uploads", { token, body, ...(key !== undefined && { headers: { "idempotency-key": key } }) });
  const usage = (user: string, route = "images") => h.gateway.ledger.usage(user, route, DAY, new Date());
  const ids = (body: { uploads: Array<{ id: string; key: string }> }) =>
    body.uploads.map((u) => [u.id, u.key]);

  it("a retry with the same key gets the same uploads, freshly signed, and holds the quota once", async () => {
    const key = newKey();
    const body = { route: "images", files: [png("a.png"), png("b.png")] };
    const first = await create(alice, body, key);
    expect(first.status).toBe(201);
    const firstBody = await json(first);
    const retry = await create(alice, body, key);
    expect(retry.status).toBe(201);
    const retryBody = await json(retry);
    expect(ids(retryBody)).toEqual(ids(firstBody));
    // The quota is full after the first request: a second reservation would have been a 429.
    expect(await usage("alice")).toEqual({ bytes: 2 * PNG_1X1.length, files: 2 });

    // The replayed instruction works: the PUT lands and the upload verifies.
    const put = retryBody.uploads[1];
    expect((await putWith(put, PNG_1X1)).status).toBe(200);
    const done = await complete(h, alice, put.id);
    expect(done.res.status).toBe(200);
    expect(done.body.upload).toMatchObject({ id: firstBody.uploads[1].id, status: "verified" });

    // One upload is no longer pending: the key cannot be replayed any more.
    const late = await create(alice, body, key);
    expect(late.status).toBe(409);
    const error = (await json(late)).error;
    expect(error.code).toBe("UPLOAD_STATE_CONFLICT");
    expect(error.details.uploads).toEqual([
      { id: firstBody.uploads[0].id, status: "pending" },
      { id: firstBody.uploads[1].id, status: "verified" },
    ]);
    await h.api(`/v1/uploads/${firstBody.uploads[0].id}`, { method: "DELETE", token: alice });
  });

  it("the same key with a different body is 422 IDEMPOTENCY_KEY_REUSED and reserves nothing", async () => {
    const key = newKey();
    const body = { route: "videos", files: [{ name: "a.bin", type: "application/octet-stream", size: MiB }] };
    expect((await create(bob, body, key)).status).toBe(201);
    const before = await usage("bob", "videos");
    const changed = { ...body, files: [{ ...body.files[0], size: 2 * MiB }] };
    const res = await create(bob, changed, key);
    expect(res.status).toBe(422);
    expect((await json(res)).error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await usage("bob", "videos")).toEqual(before);
    // Key order inside the body does not make it a different request.
    const reordered = {
      files: [{ size: MiB, type: "application/octet-stream", name: "a.bin" }],
      route: "videos",
    };
    expect((await create(bob, reordered, key)).status).toBe(201);
  });

  it.each([
    // COMPOSITE SHA-256: parts must carry their SHA-256, so neither answer lists part URLs.
    ["videos", []],
    // FULL_OBJECT CRC: parts may go without their CRC, so both list the plan's URLs.
    ["clips", [5 * MiB, 5 * MiB, MiB]],
  ])(
    "a multipart upload on %s replays with the same storage upload id and part plan",
    async (route, sizes) => {
      const key = newKey();
      const body = { route, files: [{ name: "m.bin", type: "application/octet-stream", size: 11 * MiB }] };
      const first = await json(await create(bob, body, key));
      const again = await json(await create(bob, body, key));
      expect(again.uploads[0]).toMatchObject({
        id: first.uploads[0].id,
        uploadId: first.uploads[0].uploadId,
        partCount: 3,
        expiresAt: first.uploads[0].expiresAt,
      });
      for (const answer of [first, again]) {
        expect(answer.uploads[0].parts.map((p: { size: number }) => p.size)).toEqual(sizes);
      }
    },
  );

  it("another user's key never matches", async () => {
    const key = newKey();
    const body = { route: "videos", files: [{ name: "k.bin", type: "application/octet-stream", size: 10 }] };
    const mine = await json(await create(alice, body, key));
    const before = await usage("bob", "videos");
    const theirs = await create(bob, body, key);
    expect(theirs.status).toBe(201);
    const theirsBody = await json(theirs);
    expect(theirsBody.uploads[0].id).not.toBe(mine.uploads[0].id);
    expect(await usage("bob", "videos")).toEqual({ bytes: before.bytes + 10, files: before.files + 1 });
  });

  it.each([
    ["longer than 255 characters", "k".repeat(256)],
    ["empty", ""],
    ["not ASCII", "cl\u00e9"],
  ])("a key that is %s is 400 VALIDATION_FAILED", async (_, key) => {
    const before = await usage("bob", "videos");
    const body = { route: "videos", files: [{ name: "v.bin", type: "application/octet-stream", size: 1 }] };
    const res = await create(bob, body, key);
    expect(res.status).toBe(400);
    const error = (await json(res)).error;
    expect(error).toMatchObject({ code: "VALIDATION_FAILED", details: { header: "Idempotency-Key" } });
    expect(await usage("bob", "videos")).toEqual(before);
  });

  it("a 255-character key is accepted", async () => {
    const body = { route: "videos", files: [{ name: "w.bin", type: "application/octet-stream", size: 1 }] };
    expect((await create(bob, body, "k".repeat(255))).status).toBe(201);
  });

  it("concurrent requests with one key reserve once and all answer with the same uploads", async () => {
    const key = newKey();
    const body = {
      route: "videos",
      files: [{ name: "c.bin", type: "application/octet-stream", size: 7 * MiB }],
    };
    const before = await usage("alice", "videos");
    const responses = await Promise.all(Array.from({ length: 8 }, () => create(alice, body, key)));
    const bodies = await Promise.all(responses.map((res) => json(res)));
    expect(responses.map((res) => res.status)).toEqual(Array(8).fill(201));
    expect(new Set(bodies.map((b) => b.uploads[0].id)).size).toBe(1);
    expect(new Set(bodies.map((b) => b.uploads[0].uploadId)).size).toBe(1);
    expect(await usage("alice", "videos")).toEqual({
      bytes: before.bytes + 7 * MiB,
      files: before.files + 1,
    });
  });

  it("signing that fails after the reservation releases it and frees the key: the retry creates anew", async () => {
    const key = newKey();
    const body = { route: "notes", files: [{ name: "n.txt", type: "text/plain", size: 5 }] };
    const failing = vi
      .spyOn(h.gateway.storage, "presignPut")
      .mockRejectedValueOnce(new Error("the credentials provider did not answer"));
    const failed = await create(bob, body, key);
    expect(failed.status).toBe(500);
    expect(failing).toHaveBeenCalledTimes(1);
    failing.mockRestore();
    expect(await usage("bob", "notes")).toEqual({ bytes: 0, files: 0 });
    const { rows: released } = await h.gateway.ledger.list({ userId: "bob", route: "notes", limit: 10 });
    expect(released.map((row) => [row.status, row.reason])).toEqual([["aborted", "SIGNING_FAILED"]]);

    // The route allows one file a day: only a released reservation leaves room for the retry.
    const retry = await create(bob, body, key);
    expect(retry.status).toBe(201);
    const upload = (await json(retry)).uploads[0];
    expect(upload.id).not.toBe(released[0]!.id);
    expect(await usage("bob", "notes")).toEqual({ bytes: 5, files: 1 });
    const replay = await json(await create(bob, body, key));
    expect(replay.uploads[0].id).toBe(upload.id);
  });

  it("without the header, a repeated request reserves again (unchanged behaviour)", async () => {
    const body = { route: "videos", files: [{ name: "n.bin", type: "application/octet-stream", size: 3 }] };
    const before = await usage("alice", "videos");
    const a = await json(await create(alice, body));
    const b = await json(await create(alice, body));
    expect(a.uploads[0].id).not.toBe(b.uploads[0].id);
    expect(await usage("alice", "videos")).toEqual({ bytes: before.bytes + 6, files: before.files + 2 });
  });
});

describePostgres("Idempotency-Key over two gateways sharing one Postgres ledger", (url) => {
  it("concurrent same-key requests spread over both instances reserve once", async () => {
    const database = await createTestSchema(url);
    const ledgers = [database.open(), database.open()];
    const gateways: Harness[] = [];
    try {
      const routes = {
        videos: { types: ["application/octet-stream"], maxSize: "100MB", strategy: "multipart" as const },
      };
      for (const ledger of ledgers) gateways.push(await startGateway({ ledger, routes }));
      // Open the connections first, so that the requests overlap instead of queueing on connects.
      await Promise.all(ledgers.flatMap((ledger) => Array.from({ length: 5 }, () => ledger.ping())));
      const token = await signToken("erin");
      const body = {
        route: "videos",
        files: [{ name: "p.bin", type: "application/octet-stream", size: 9 * MiB }],
      };
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          gateways[i % 2]!.api("/v1/uploads", { token, body, headers: { "idempotency-key": "pg-key-1" } }),
        ),
      );
      const bodies = await Promise.all(responses.map((res) => json(res)));
      expect(responses.map((res) => res.status)).toEqual(Array(10).fill(201));
      expect(new Set(bodies.map((b) => b.uploads[0].id)).size).toBe(1);
      expect(new Set(bodies.map((b) => b.uploads[0].uploadId)).size).toBe(1);
      expect(await ledgers[0]!.usage("erin", "videos", undefined, new Date())).toEqual({
        bytes: 9 * MiB,
        files: 1,
      });
    } finally {
      await Promise.all(gateways.map((g) => g.close()));
      await Promise.all(ledgers.map((l) => l.close()));
      await database.dispose();
    }
  });
});
