import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hmacToken, type JwksServer, startJwksServer, unsecuredToken } from "../../support/jwks-server.js";
import { type Harness, JWT_SECRET, json, PNG_1X1, signToken, startGateway } from "./support.js";

const request = { route: "images", files: [{ name: "a.png", type: "image/png", size: PNG_1X1.length }] };
const now = () => Math.floor(Date.now() / 1000);

async function expect401(res: Response, code: string, token?: string) {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toBe("Bearer");
  const text = await res.text();
  expect(JSON.parse(text).error.code).toBe(code);
  if (token) expect(text).not.toContain(token);
}

describe("authentication at the gateway (HS256 secret, audience checked)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGateway({
      auth: {
        jwt: { secret: JWT_SECRET, audience: "upgate" },
        apiKeys: { "svc-key-0123456789abcdef": "backend" },
      },
      routes: {
        images: { types: ["image/png"], maxSize: "1MB" },
        open: { types: ["image/png"], maxSize: "1MB", public: true },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it("accepts a valid token and a valid API key", async () => {
    const token = await signToken("alice", { claims: { aud: "upgate" } });
    expect((await h.api("/v1/uploads", { token, body: request })).status).toBe(201);
    const res = await h.api("/v1/uploads", {
      body: request,
      headers: { "x-api-key": "svc-key-0123456789abcdef" },
    });
    expect(res.status).toBe(201);
    expect((await h.gateway.ledger.list({ userId: "backend", limit: 5 })).rows).toHaveLength(1);
  });

  it("no token is 401 AUTH_REQUIRED, for every private endpoint", async () => {
    const closed = await startGateway();
    try {
      // With no public route, a request without credentials is refused before its body is read.
      await expect401(await closed.api("/v1/uploads", { body: "{ not json" }), "AUTH_REQUIRED");
    } finally {
      await closed.close();
    }
    await expect401(await h.api("/v1/uploads", { body: request }), "AUTH_REQUIRED");
    await expect401(await h.api("/v1/uploads"), "AUTH_REQUIRED");
    await expect401(await h.api("/v1/uploads/x/complete", { method: "POST" }), "AUTH_REQUIRED");
    await expect401(await h.api("/v1/files/x"), "AUTH_REQUIRED");
  });

  it("a bad, expired, unsigned or wrong-audience token is 401 AUTH_INVALID, never echoed", async () => {
    const tokens = [
      "not.a.jwt",
      await signToken("alice", {
        claims: { aud: "upgate" },
        secret: "another-secret-of-enough-length-123456",
      }),
      await signToken("alice", { claims: { aud: "upgate" }, expiresIn: now() - 120 }),
      unsecuredToken({ sub: "alice", aud: "upgate", exp: now() + 60 }),
      await signToken("alice", { claims: { aud: "someone-else" } }),
      await signToken("alice"),
    ];
    for (const token of tokens)
      await expect401(await h.api("/v1/uploads", { token, body: request }), "AUTH_INVALID", token);
    await expect401(
      await h.api("/v1/uploads", { body: request, headers: { "x-api-key": "svc-key-0123456789abcdeX" } }),
      "AUTH_INVALID",
    );
  });

  it("a public route takes uploads without credentials; the upload's capability is what completes it", async () => {
    const res = await h.api("/v1/uploads", { body: { ...request, route: "open" } });
    expect(res.status).toBe(201);
    const { uploads } = await json(res);
    expect(uploads[0].key).toMatch(/^open\/anonymous\//);
    await fetch(uploads[0].url, { method: "PUT", headers: uploads[0].headers, body: PNG_1X1 });
    await expect401(
      await h.api(`/v1/uploads/${uploads[0].id}/complete`, { method: "POST" }),
      "AUTH_REQUIRED",
    );
    const completed = await h.api(`/v1/uploads/${uploads[0].id}/complete`, {
      method: "POST",
      headers: { "upgate-capability": uploads[0].capability },
    });
    expect(completed.status).toBe(200);
    // Bad credentials are refused even on a public route.
    await expect401(
      await h.api("/v1/uploads", { token: "garbage", body: { ...request, route: "open" } }),
      "AUTH_INVALID",
    );
    // Listing needs a user.
    await expect401(await h.api("/v1/uploads"), "AUTH_REQUIRED");
  });
});

describe("authentication at the gateway (RS256 keys from a JWKS)", () => {
  let jwks: JwksServer;
  let h: Harness;
  beforeAll(async () => {
    jwks = await startJwksServer({ audience: "upgate-api" });
    h = await startGateway({
      auth: { jwt: { jwksUrl: jwks.url, issuer: jwks.issuer, audience: "upgate-api" } },
    });
  });
  afterAll(async () => {
    await h.close();
    await jwks.close();
  });

  it("accepts the identity provider's token; sub is the user", async () => {
    const token = await jwks.sign({}, { subject: "carol" });
    const res = await h.api("/v1/uploads", { token, body: request });
    expect(res.status).toBe(201);
    expect((await json(res)).uploads[0].key).toMatch(/^images\/carol\//);
  });

  it("refuses HS256 signed with the public key (HS/RS confusion), the wrong issuer and the wrong audience", async () => {
    const payload = { sub: "mallory", iss: jwks.issuer, aud: "upgate-api", exp: now() + 60 };
    const confused = await hmacToken(payload, new TextEncoder().encode(jwks.publicPem), "key-1");
    await expect401(await h.api("/v1/uploads", { token: confused, body: request }), "AUTH_INVALID", confused);
    const otherIssuer = await jwks.sign({}, { issuer: "https://evil.test/" });
    await expect401(await h.api("/v1/uploads", { token: otherIssuer, body: request }), "AUTH_INVALID");
    const otherAudience = await jwks.sign({}, { audience: "another-api" });
    await expect401(await h.api("/v1/uploads", { token: otherAudience, body: request }), "AUTH_INVALID");
    await expect401(
      await h.api("/v1/uploads", { token: unsecuredToken(payload), body: request }),
      "AUTH_INVALID",
    );
  });
});
