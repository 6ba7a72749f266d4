import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, json, PNG_1X1, putWith, signToken, startGateway } from "./support.js";

const png = { name: "a.png", type: "image/png", size: PNG_1X1.length };

describe("the HTTP API around the handlers", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startGateway({
      basePath: "/api",
      trustProxy: true,
      cors: { origins: ["https://app.example.test"], credentials: true },
      limits: { maxBodyBytes: "2KB" },
      routes: { images: { types: ["image/png"], maxSize: "1MB", maxFiles: 20 } },
    });
    token = await signToken("alice");
  });
  afterAll(async () => {
    await h.close();
  });

  it("serves under the base path only; unknown paths are 404, wrong methods 405 with Allow", async () => {
    expect((await h.api("/api/v1/uploads", { token })).status).toBe(200);
    const outside = await h.api("/v1/uploads", { token });
    expect(outside.status).toBe(404);
    expect((await json(outside)).error.code).toBe("NOT_FOUND");
    const wrong = await h.api("/api/v1/uploads", { method: "PUT", token });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST, GET");
  });

  it("answers CORS preflights for configured origins, and marks their responses", async () => {
    const preflight = await h.gateway.fetch(
      new Request("http://gateway.test/api/v1/uploads", {
        method: "OPTIONS",
        headers: { origin: "https://app.example.test", "access-control-request-method": "POST" },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example.test");
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    const actual = await h.api("/api/v1/uploads", { token, headers: { origin: "https://app.example.test" } });
    expect(actual.headers.get("access-control-allow-origin")).toBe("https://app.example.test");
    const other = await h.api("/api/v1/uploads", { token, headers: { origin: "https://evil.test" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses oversized bodies (413), invalid JSON and non-JSON bodies (400), and unknown fields", async () => {
    const big = {
      route: "images",
      files: Array.from({ length: 20 }, (_, i) => ({ ...png, name: `${"n".repeat(100)}${i}.png` })),
    };
    const tooBig = await h.api("/api/v1/uploads", { token, body: big });
    expect(tooBig.status).toBe(413);
    expect((await json(tooBig)).error.code).toBe("PAYLOAD_TOO_LARGE");
    const broken = await h.api("/api/v1/uploads", { token, body: "{ route: images" });
    expect([broken.status, (await json(broken)).error.code]).toEqual([400, "VALIDATION_FAILED"]);
    const form = await h.api("/api/v1/uploads", {
      token,
      body: "route=images",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect([form.status, (await json(form)).error.code]).toEqual([400, "VALIDATION_FAILED"]);
    const extra = await h.api("/api/v1/uploads", {
      token,
      body: { route: "images", files: [png], bucket: "other" },
    });
    expect((await json(extra)).error).toMatchObject({
      code: "VALIDATION_FAILED",
      details: { fields: ["bucket"] },
    });
  });

  it("records the client IP (from X-Forwarded-For with trustProxy) and user agent in the ledger", async () => {
    const res = await h.api("/api/v1/uploads", {
      token,
      body: { route: "images", files: [png] },
      headers: { "x-forwarded-for": "198.51.100.23, 10.0.0.1", "user-agent": "upgate-test/1" },
    });
    const id = (await json(res)).uploads[0].id;
    expect(await h.gateway.ledger.get(id)).toMatchObject({
      clientIp: "198.51.100.23",
      userAgent: "upgate-test/1",
    });
  });

  it("lists the caller's uploads a page at a time, filtered by route and status", async () => {
    const bob = await signToken("bob");
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await h.api("/api/v1/uploads", { token: bob, body: { route: "images", files: [png] } });
      made.push((await json(res)).uploads[0].id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await h.api(
        `/api/v1/uploads?route=images&status=pending&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        { token: bob },
      );
      expect(res.status).toBe(200);
      const page = await json(res);
      expect(page.uploads.length).toBeLessThanOrEqual(2);
      seen.push(...page.uploads.map((u: { id: string }) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(made.sort());
    expect((await json(await h.api("/api/v1/uploads?status=verified", { token: bob }))).uploads).toEqual([]);
    for (const query of ["status=done", "limit=0", "limit=101", "cursor=bogus"]) {
      const res = await h.api(`/api/v1/uploads?${query}`, { token: bob });
      expect([query, res.status]).toEqual([query, 400]);
    }
  });

  it("refuses parts for a non-multipart upload and completes with a body it does not need", async () => {
    const res = await h.api("/api/v1/uploads", { token, body: { route: "images", files: [png] } });
    const put = (await json(res)).uploads[0];
    const parts = await h.api(`/api/v1/uploads/${put.id}/parts`, { token, body: { partNumbers: [1] } });
    expect([parts.status, (await json(parts)).error.code]).toEqual([409, "UPLOAD_STATE_CONFLICT"]);
    await putWith(put, PNG_1X1);
    const done = await h.api(`/api/v1/uploads/${put.id}/complete`, { method: "POST", token, body: {} });
    expect(done.status).toBe(200);
    const bad = await h.api(`/api/v1/uploads/${put.id}/complete`, {
      method: "POST",
      token,
      body: { parts: "all" },
    });
    expect(bad.status).toBe(400);
  });

  it("exposes Prometheus metrics for requests, signatures, verifications, bytes and latency", async () => {
    expect((await h.api("/api/v1/uploads", { method: "BREW", token })).status).toBe(405);
    const res = await h.api("/api/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/upgate_requests_total\{route="\/v1\/uploads",method="POST",status="201"\} \d+/);
    expect(text).toMatch(/upgate_signatures_total\{strategy="put"\} \d+/);
    expect(text).toMatch(/upgate_verifications_total\{outcome="verified"\} \d+/);
    expect(text).toMatch(/upgate_bytes_reserved_total \d+/);
    expect(text).toMatch(
      /upgate_request_duration_seconds_bucket\{le="0\.1",route="\/v1\/uploads",method="POST"\} \d+/,
    );
    // Methods clients invent do not become label values.
    expect(text).toContain('method="OTHER",status="405"');
    expect(text).not.toContain("BREW");
  });

  it("answers /healthz with both checks", async () => {
    const res = await h.api("/api/healthz");
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      ok: true,
      checks: { ledger: { ok: true }, storage: { ok: true } },
    });
  });

  it("completing twice at once verifies once and answers both the same", async () => {
    const res = await h.api("/api/v1/uploads", { token, body: { route: "images", files: [png] } });
    const put = (await json(res)).uploads[0];
    await putWith(put, PNG_1X1);
    const call = () => h.api(`/api/v1/uploads/${put.id}/complete`, { method: "POST", token });
    const [a, b] = await Promise.all([call(), call()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await json(a)).toEqual(await json(b));
  });
});
