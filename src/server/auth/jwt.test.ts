import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hmacToken,
  type JwksServer,
  startJwksServer,
  unsecuredToken,
} from "../../../test/support/jwks-server.js";
import { UpgateError } from "../../core/errors.js";
import { createJwtVerifier } from "./jwt.js";

const SECRET = "unit-test-hs256-secret-0123456789abcdef";
const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

function hs256(claims: Record<string, unknown>, secret: Uint8Array = key) {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(secret);
}

async function refusal(promise: Promise<unknown>): Promise<UpgateError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof UpgateError)) throw new Error(`expected an UpgateError, got ${String(err)}`);
  return err;
}

describe("HS256 with a secret", () => {
  const verify = createJwtVerifier({
    kind: "secret",
    secret: SECRET,
    audience: "upgate",
    issuer: "https://app.test",
    clockToleranceSeconds: 5,
    maxAgeSeconds: 86_400,
  });
  const good = { sub: "alice", aud: "upgate", iss: "https://app.test" };

  it("accepts a valid token; sub is the user id and the claims come along", async () => {
    const principal = await verify(await hs256({ ...good, exp: now() + 60, role: "editor" }));
    expect(principal).toMatchObject({ userId: "alice", via: "jwt", claims: { role: "editor" } });
  });

  it("knows a token only once it has accepted it, never one it refused", async () => {
    const token = await hs256({ ...good, sub: "known", exp: now() + 60 });
    expect(verify.known(token)).toBeUndefined();
    const principal = await verify(token);
    expect(verify.known(token)).toBe(principal);
    const refused = await hs256({ ...good, aud: "other", exp: now() + 60 });
    await refusal(verify(refused));
    expect(verify.known(refused)).toBeUndefined();
  });

  it.each([
    ["expired", { ...good, exp: now() - 60 }, /expired/],
    ["without exp", { ...good }, /no expiry/],
    ["without sub", { aud: "upgate", iss: "https://app.test", exp: now() + 60 }, /no subject/],
    ["for another audience", { ...good, aud: "other", exp: now() + 60 }, /another audience/],
    ["from another issuer", { ...good, iss: "https://evil.test", exp: now() + 60 }, /another issuer/],
    ["claiming the anonymous user", { ...good, sub: "anonymous", exp: now() + 60 }, /reserved/],
    [
      "with a subject over 1024 characters",
      { ...good, sub: "s".repeat(1025), exp: now() + 60 },
      /longer than 1024/,
    ],
  ])("refuses a token %s", async (_name, claims, message) => {
    const err = await refusal(verify(await hs256(claims)));
    expect(err.code).toBe("AUTH_INVALID");
    expect(err.message).toMatch(message);
  });

  it.each([
    ["with exp a year after iat", { ...good, iat: now(), exp: now() + 365 * 86_400 }, /lifetime/],
    [
      "issued longer ago than maxAge",
      { ...good, iat: now() - 86_400 - 60, exp: now() + 60 },
      /issued longer ago/,
    ],
    ["issued in the future", { ...good, iat: now() + 3600, exp: now() + 7200 }, /in the future/],
    ["without iat, expiring in a year", { ...good, exp: now() + 365 * 86_400 }, /no iat/],
  ])("refuses a token %s (auth.jwt.maxAge, 24 h here)", async (_name, claims, message) => {
    const err = await refusal(verify(await hs256(claims)));
    expect(err.code).toBe("AUTH_INVALID");
    expect(err.message).toMatch(message);
  });

  it("accepts tokens that live at most maxAge: with iat, and without iat when they expire within it", async () => {
    const iat = now() - 3600;
    await expect(verify(await hs256({ ...good, iat, exp: iat + 86_400 }))).resolves.toMatchObject({
      userId: "alice",
    });
    await expect(verify(await hs256({ ...good, exp: now() + 86_000 }))).resolves.toMatchObject({
      userId: "alice",
    });
  });

  it("tolerates a few seconds of clock skew, not more", async () => {
    await expect(verify(await hs256({ ...good, exp: now() - 2 }))).resolves.toMatchObject({
      userId: "alice",
    });
    expect((await refusal(verify(await hs256({ ...good, exp: now() - 30 })))).code).toBe("AUTH_INVALID");
  });

  it("refuses a token signed with another secret", async () => {
    const token = await hs256({ ...good, exp: now() + 60 }, new TextEncoder().encode("x".repeat(40)));
    expect((await refusal(verify(token))).message).toMatch(/signature is invalid/);
  });

  it('refuses alg "none"', async () => {
    const err = await refusal(verify(unsecuredToken({ ...good, exp: now() + 60 })));
    expect(err.code).toBe("AUTH_INVALID");
  });

  it("refuses an RS256 token (only HS256 is accepted with a secret)", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT({ ...good, exp: now() + 60 })
      .setProtectedHeader({ alg: "RS256" })
      .sign(privateKey);
    expect((await refusal(verify(token))).message).toMatch(/algorithm is not accepted/);
  });

  it("refuses garbage, and never puts the token in the message", async () => {
    for (const token of ["not-a-token", "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl", "a.b.c"]) {
      const err = await refusal(verify(token));
      expect(err.code).toBe("AUTH_INVALID");
      expect(err.message).not.toContain(token);
    }
  });
});

describe("RS256/ES256 keys from a JWKS", () => {
  let jwks: JwksServer;
  let verify: (token: string) => Promise<unknown>;
  beforeAll(async () => {
    jwks = await startJwksServer({ audience: "upgate-api" });
    verify = createJwtVerifier({
      kind: "jwks",
      url: new URL(jwks.url),
      algorithms: ["RS256", "ES256"],
      issuer: jwks.issuer,
      audience: "upgate-api",
      clockToleranceSeconds: 5,
      maxAgeSeconds: 86_400,
    });
  });
  afterAll(async () => {
    await jwks.close();
  });

  it("accepts a token signed by the published key", async () => {
    await expect(verify(await jwks.sign({}))).resolves.toMatchObject({ userId: "alice", via: "jwt" });
  });

  it("refuses HS256 signed with the public key (algorithm confusion), as PEM and as JWK", async () => {
    const payload = { sub: "mallory", iss: jwks.issuer, aud: "upgate-api", exp: now() + 60 };
    for (const secret of [jwks.publicPem, JSON.stringify(jwks.publicJwk), jwks.publicJwk.n!]) {
      const err = await refusal(verify(await hmacToken(payload, new TextEncoder().encode(secret), "key-1")));
      expect(err.code).toBe("AUTH_INVALID");
      expect(err.message).toMatch(/algorithm is not accepted/);
    }
  });

  it('refuses alg "none"', async () => {
    const payload = { sub: "mallory", iss: jwks.issuer, aud: "upgate-api", exp: now() + 60 };
    expect((await refusal(verify(unsecuredToken(payload)))).code).toBe("AUTH_INVALID");
  });

  it("refuses a token signed by another issuer's key, even under the same kid", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT({ sub: "mallory", iss: jwks.issuer, aud: "upgate-api", exp: now() + 60 })
      .setProtectedHeader({ alg: "RS256", kid: "key-1" })
      .sign(privateKey);
    expect((await refusal(verify(token))).message).toMatch(/signature is invalid/);
    const unknownKid = await new SignJWT({
      sub: "mallory",
      iss: jwks.issuer,
      aud: "upgate-api",
      exp: now() + 60,
    })
      .setProtectedHeader({ alg: "RS256", kid: "other" })
      .sign(privateKey);
    expect((await refusal(verify(unknownKid))).message).toMatch(
      /not signed by a key of the configured issuer/,
    );
  });

  it("refuses the wrong audience, the wrong issuer and an expired token", async () => {
    expect((await refusal(verify(await jwks.sign({}, { audience: "other" })))).message).toMatch(/audience/);
    expect((await refusal(verify(await jwks.sign({}, { issuer: "https://evil.test/" })))).message).toMatch(
      /issuer/,
    );
    expect((await refusal(verify(await jwks.sign({}, { expiresIn: now() - 60 })))).message).toMatch(
      /expired/,
    );
  });

  it("answers AUTH_UNAVAILABLE (503), not 401, when the key set cannot be fetched", async () => {
    const offline = createJwtVerifier({
      kind: "jwks",
      url: new URL("http://127.0.0.1:1/jwks.json"),
      algorithms: ["RS256"],
      clockToleranceSeconds: 5,
      maxAgeSeconds: 86_400,
    });
    const err = await refusal(offline(await jwks.sign({})));
    expect([err.code, err.status]).toEqual(["AUTH_UNAVAILABLE", 503]);
  });
});
