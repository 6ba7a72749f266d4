import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../../src/core/sigv4/crypto.js";
import { type Harness, json, PNG_1X1, putWith, sha256b64, startGateway } from "./support.js";

const png = { name: "a.png", type: "image/png", size: PNG_1X1.length, sha256: sha256b64(PNG_1X1) };
const A = "192.0.2.1";
const B = "198.51.100.2";

describe("anonymous uploads: capability and download token", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGateway({
      routes: {
        open: { types: ["image/png"], maxSize: "1MB", public: true },
        mp: {
          types: ["application/octet-stream"],
          maxSize: "20MB",
          strategy: "multipart",
          partSize: "5MB",
          public: true,
        },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  async function verifiedAnonymous() {
    const res = await h.api("/v1/uploads", { body: { route: "open", files: [png] } });
    expect(res.status).toBe(201);
    const upload = (await json(res)).uploads[0];
    expect((await putWith(upload, PNG_1X1)).status).toBe(200);
    const done = await h.api(`/v1/uploads/${upload.id}/complete`, {
      method: "POST",
      headers: { "upgate-capability": upload.capability },
    });
    expect(done.status).toBe(200);
    return upload as { id: string; capability: string; downloadToken: string; key: string };
  }

  const code = async (res: Response) => [res.status, (await json(res)).error?.code];

  it("the create answer carries both secrets once; the ledger keeps only their SHA-256", async () => {
    const upload = await verifiedAnonymous();
    expect(upload.capability).toMatch(/^upc_[a-z2-7]{32}$/);
    expect(upload.downloadToken).toMatch(/^upd_[a-z2-7]{32}$/);
    const row = await h.gateway.ledger.get(upload.id);
    expect(row).toMatchObject({
      capabilityHash: await sha256Hex(upload.capability),
      downloadTokenHash: await sha256Hex(upload.downloadToken),
      quotaSubject: `anonymous@192.0.2.10`,
    });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(upload.capability);
    expect(stored).not.toContain(upload.downloadToken);
  });

  it("a signed-in user's upload gets no secrets", async () => {
    const h2 = await startGateway();
    try {
      const { signToken } = await import("./support.js");
      const res = await h2.api("/v1/uploads", {
        token: await signToken("alice"),
        body: { route: "images", files: [png] },
      });
      const upload = (await json(res)).uploads[0];
      expect(upload.capability).toBeUndefined();
      expect(upload.downloadToken).toBeUndefined();
      expect(await h2.gateway.ledger.get(upload.id)).toMatchObject({
        capabilityHash: null,
        quotaSubject: "alice",
      });
    } finally {
      await h2.close();
    }
  });

  it("the upload id alone, a wrong capability or the download token cannot complete, delete or download", async () => {
    const upload = await verifiedAnonymous();
    const wrong = `upc_${"a".repeat(32)}`;
    const attempts: Array<Record<string, string>> = [
      {},
      { "upgate-capability": wrong },
      { "upgate-capability": upload.downloadToken },
    ];
    for (const headers of attempts) {
      expect(await code(await h.api(`/v1/uploads/${upload.id}`, { method: "DELETE", headers }))).toEqual([
        401,
        "AUTH_REQUIRED",
      ]);
      expect(
        await code(await h.api(`/v1/uploads/${upload.id}/complete`, { method: "POST", headers })),
      ).toEqual([401, "AUTH_REQUIRED"]);
      expect(await code(await h.api(`/v1/files/${upload.id}`, { headers }))).toEqual([401, "AUTH_REQUIRED"]);
    }
    // The token in the query of anything but a download is ignored.
    const del = await h.api(`/v1/uploads/${upload.id}?token=${upload.downloadToken}`, { method: "DELETE" });
    expect(await code(del)).toEqual([401, "AUTH_REQUIRED"]);
    expect((await h.gateway.ledger.get(upload.id))?.status).toBe("verified");
  });

  it("an unknown id and a known one answer the same without the capability", async () => {
    const upload = await verifiedAnonymous();
    const known = await h.api(`/v1/uploads/${upload.id}/complete`, { method: "POST" });
    const unknown = await h.api(`/v1/uploads/${"x".repeat(26)}/complete`, { method: "POST" });
    expect(await known.text()).toBe(await unknown.text());
  });

  it("the download token downloads (302) and the capability too; neither appears in what is served", async () => {
    const upload = await verifiedAnonymous();
    const viaToken = await h.api(`/v1/files/${upload.id}?token=${upload.downloadToken}`);
    expect(viaToken.status).toBe(302);
    const viaCapability = await h.api(`/v1/files/${upload.id}`, {
      headers: { "upgate-capability": upload.capability },
    });
    expect(viaCapability.status).toBe(302);
    for (const redirect of [viaToken, viaCapability]) {
      const location = redirect.headers.get("location")!;
      const file = await fetch(location);
      expect(file.status).toBe(200);
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG_1X1);
      const served = [location, ...redirect.headers.values(), ...file.headers.values()].join("\n");
      expect(served).not.toContain(upload.capability);
      expect(served).not.toContain(upload.downloadToken);
      // The object's metadata names the upload: harmless, since the id alone grants nothing.
      const id = file.headers.get("x-amz-meta-upgate-upload");
      if (id !== null) {
        const res = await h.api(`/v1/uploads/${id}`, { method: "DELETE" });
        expect(res.status).toBe(401);
      }
    }
    const wrong = await h.api(`/v1/files/${upload.id}?token=${upload.capability}`);
    expect(await code(wrong)).toEqual([401, "AUTH_INVALID"]);
  });

  it("the capability deletes the upload", async () => {
    const upload = await verifiedAnonymous();
    const res = await h.api(`/v1/uploads/${upload.id}`, {
      method: "DELETE",
      headers: { "upgate-capability": upload.capability },
    });
    expect(res.status).toBe(200);
    expect((await json(res)).upload.status).toBe("aborted");
  });

  it("part URLs of an anonymous multipart upload need its capability", async () => {
    const file = { name: "a.bin", type: "application/octet-stream", size: 1000 };
    const res = await h.api("/v1/uploads", { body: { route: "mp", files: [file] } });
    const upload = (await json(res)).uploads[0];
    const parts = (headers: Record<string, string>) =>
      h.api(`/v1/uploads/${upload.id}/parts`, {
        headers,
        body: { partNumbers: [1], sha256: { "1": sha256b64(new Uint8Array(1000)) } },
      });
    expect((await parts({})).status).toBe(401);
    expect((await parts({ "upgate-capability": upload.capability })).status).toBe(200);
  });

  it("an Idempotency-Key replay gives new secrets: the first ones stop working", async () => {
    const headers = { "idempotency-key": `anon-replay-${Date.now()}` };
    const body = { route: "open", files: [png] };
    const first = (await json(await h.api("/v1/uploads", { body, headers }))).uploads[0];
    const again = (await json(await h.api("/v1/uploads", { body, headers }))).uploads[0];
    expect(again.id).toBe(first.id);
    expect(again.capability).not.toBe(first.capability);
    await putWith(again, PNG_1X1);
    const stale = await h.api(`/v1/uploads/${first.id}/complete`, {
      method: "POST",
      headers: { "upgate-capability": first.capability },
    });
    expect(stale.status).toBe(401);
    const fresh = await h.api(`/v1/uploads/${first.id}/complete`, {
      method: "POST",
      headers: { "upgate-capability": again.capability },
    });
    expect(fresh.status).toBe(200);
  });

  it("an anonymous Idempotency-Key belongs to the address: another address with it creates anew", async () => {
    const headers = { "idempotency-key": `anon-shared-${Date.now()}` };
    const body = { route: "open", files: [png] };
    const mine = (await json(await h.api("/v1/uploads", { body, headers, clientIp: A }))).uploads[0];
    const theirs = (await json(await h.api("/v1/uploads", { body, headers, clientIp: B }))).uploads[0];
    expect(theirs.id).not.toBe(mine.id);
  });
});

describe("anonymous quota and rate limit per address", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGateway({
      trustProxy: true,
      routes: {
        open: { types: ["image/png"], maxSize: "1MB", public: true, quota: { files: 2 } },
        capped: {
          types: ["image/png"],
          maxSize: "1MB",
          public: true,
          quota: { files: 2 },
          routeQuota: { files: 3 },
        },
        limited: { types: ["image/png"], maxSize: "1MB", public: true, rateLimit: { perMinute: 2 } },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  const create = (route: string, forwardedFor: string, headers: Record<string, string> = {}) =>
    h.api("/v1/uploads", {
      body: { route, files: [png] },
      headers: { "x-forwarded-for": `${forwardedFor}, 10.0.0.1`, ...headers },
    });

  it("one address using up the quota does not block another (X-Forwarded-For, trusted proxy)", async () => {
    expect((await create("open", A)).status).toBe(201);
    expect((await create("open", A)).status).toBe(201);
    const refused = await create("open", A);
    expect(refused.status).toBe(429);
    expect((await json(refused)).error.code).toBe("QUOTA_EXCEEDED");
    expect((await create("open", B)).status).toBe(201);
    expect(await h.gateway.ledger.usage(`anonymous@${A}`, "open", undefined, new Date())).toMatchObject({
      files: 2,
    });
  });

  it("IPv6 callers count by /64", async () => {
    expect((await create("open", "2001:db8:1:2::1")).status).toBe(201);
    expect((await create("open", "2001:db8:1:2::2")).status).toBe(201);
    expect((await create("open", "2001:db8:1:2::3")).status).toBe(429);
    expect((await create("open", "2001:db8:1:3::1")).status).toBe(201);
  });

  it("routeQuota caps the route over every address, atomically with the per-address quota", async () => {
    const answers = await Promise.all(
      ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"].map((ip) =>
        create("capped", ip),
      ),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = answers.find((r) => r.status === 429)!;
    const error = (await json(refused)).error;
    expect(error).toMatchObject({ code: "QUOTA_EXCEEDED", details: { scope: "route" } });
    expect(error.message).toMatch(/whole route/);
  });

  it("the rate limit is per address; an Idempotency-Key replay takes a token too", async () => {
    const headers = { "idempotency-key": `rate-${Date.now()}` };
    expect((await create("limited", A, headers)).status).toBe(201);
    expect((await create("limited", A, headers)).status).toBe(201);
    const third = await create("limited", A, headers);
    expect(third.status).toBe(429);
    expect((await json(third)).error.code).toBe("RATE_LIMITED");
    expect((await create("limited", B, headers)).status).toBe(201);
  });
});

describe("without trustProxy, X-Forwarded-For is ignored", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGateway({
      routes: { open: { types: ["image/png"], maxSize: "1MB", public: true, quota: { files: 1 } } },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it("a forged header does not buy a fresh quota; another socket address does", async () => {
    const create = (xff: string, clientIp = A) =>
      h.api("/v1/uploads", {
        body: { route: "open", files: [png] },
        headers: { "x-forwarded-for": xff },
        clientIp,
      });
    expect((await create("203.0.113.9")).status).toBe(201);
    expect((await create("203.0.113.10")).status).toBe(429);
    expect((await create("203.0.113.10", B)).status).toBe(201);
  });
});

describe("Idempotency-Key replays re-run onBeforeUpload", () => {
  it("a hook that now refuses refuses the replay", async () => {
    let open = true;
    const h = await startGateway({
      routes: {
        images: {
          types: ["image/png"],
          maxSize: "1MB",
          onBeforeUpload: () => (open ? undefined : "uploads are closed"),
        },
      },
    });
    try {
      const { signToken } = await import("./support.js");
      const token = await signToken("alice");
      const init = {
        token,
        body: { route: "images", files: [png] },
        headers: { "idempotency-key": "hook-1" },
      };
      expect((await h.api("/v1/uploads", init)).status).toBe(201);
      open = false;
      const replay = await h.api("/v1/uploads", init);
      expect(replay.status).toBe(403);
      expect((await json(replay)).error.code).toBe("HOOK_REJECTED");
    } finally {
      await h.close();
    }
  });
});
