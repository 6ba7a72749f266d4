import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { UpgateError } from "../../core/errors.js";
import { createAuthenticator } from "./authenticate.js";
import { looksLikeJwt, readCredential } from "./credentials.js";

const SECRET = "authenticate-test-secret-0123456789abcdef";
const KEY = "sk_live_0123456789abcdefghij";

const request = (headers: Record<string, string> = {}) =>
  new Request("http://gw.test/v1/uploads", { headers });
const token = (sub: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setExpirationTime("1m")
    .sign(new TextEncoder().encode(SECRET));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof UpgateError) return err.code;
    throw err;
  }
  return "accepted";
}

describe("readCredential", () => {
  it("reads a bearer token or an x-api-key, and nothing from a request without either", () => {
    expect(readCredential(request({ authorization: "Bearer abc.def" }))).toEqual({
      kind: "bearer",
      token: "abc.def",
    });
    expect(readCredential(request({ authorization: "bearer   t0k " }))).toEqual({
      kind: "bearer",
      token: "t0k",
    });
    expect(readCredential(request({ "x-api-key": " k " }))).toEqual({ kind: "api-key", key: "k" });
    expect(readCredential(request())).toBeUndefined();
  });

  it("calls other schemes, two credentials and empty values malformed", () => {
    expect(readCredential(request({ authorization: "Basic dXNlcjpwYXNz" }))?.kind).toBe("malformed");
    expect(readCredential(request({ authorization: "Bearer a b" }))?.kind).toBe("malformed");
    expect(readCredential(request({ authorization: "Bearer x", "x-api-key": "y" }))?.kind).toBe("malformed");
    expect(readCredential(request({ "x-api-key": " " }))?.kind).toBe("malformed");
  });

  it("recognises JWT-shaped tokens", () => {
    expect(looksLikeJwt("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig")).toBe(true);
    expect(looksLikeJwt(KEY)).toBe(false);
  });
});

describe("createAuthenticator", () => {
  const both = createAuthenticator({
    jwt: { kind: "secret", secret: SECRET, clockToleranceSeconds: 5, maxAgeSeconds: 86_400 },
    apiKeys: [
      { key: KEY, userId: "service-a" },
      { key: "sk_live_zzzzzzzzzzzzzzzzzzzz", userId: "service-b" },
    ],
  });

  it("accepts a JWT and an API key (as bearer or x-api-key); no credentials is null", async () => {
    expect(await both(request({ authorization: `Bearer ${await token("alice")}` }))).toMatchObject({
      userId: "alice",
      via: "jwt",
    });
    expect(await both(request({ authorization: `Bearer ${KEY}` }))).toEqual({
      userId: "service-a",
      via: "api-key",
    });
    expect(await both(request({ "x-api-key": "sk_live_zzzzzzzzzzzzzzzzzzzz" }))).toEqual({
      userId: "service-b",
      via: "api-key",
    });
    expect(await both(request())).toBeNull();
  });

  it("refuses an unknown key, a near miss, a malformed header and a bad token with AUTH_INVALID", async () => {
    expect(await codeOf(both(request({ "x-api-key": "sk_live_unknown_key_000000" })))).toBe("AUTH_INVALID");
    expect(await codeOf(both(request({ "x-api-key": `${KEY}x` })))).toBe("AUTH_INVALID");
    expect(await codeOf(both(request({ "x-api-key": KEY.slice(0, -1) })))).toBe("AUTH_INVALID");
    expect(await codeOf(both(request({ authorization: "Token abc" })))).toBe("AUTH_INVALID");
    expect(await codeOf(both(request({ authorization: "Bearer eyJhbGciOiJub25lIn0.e30." })))).toBe(
      "AUTH_INVALID",
    );
  });

  it("with only JWT configured, refuses API keys; with only keys, refuses JWTs", async () => {
    const jwtOnly = createAuthenticator({
      jwt: { kind: "secret", secret: SECRET, clockToleranceSeconds: 5, maxAgeSeconds: 86_400 },
    });
    expect(await codeOf(jwtOnly(request({ "x-api-key": KEY })))).toBe("AUTH_INVALID");
    expect(await codeOf(jwtOnly(request({ authorization: `Bearer ${KEY}` })))).toBe("AUTH_INVALID");
    const keysOnly = createAuthenticator({ apiKeys: [{ key: KEY, userId: "service-a" }] });
    expect(await codeOf(keysOnly(request({ authorization: `Bearer ${await token("alice")}` })))).toBe(
      "AUTH_INVALID",
    );
  });

  it("answers a JWT it accepted before from the cache, and still refuses a dev token outside dev mode every time", async () => {
    const jwtOnly = createAuthenticator({
      jwt: { kind: "secret", secret: SECRET, clockToleranceSeconds: 5, maxAgeSeconds: 86_400 },
    });
    const alice = request({ authorization: `Bearer ${await token("alice")}` });
    const first = await jwtOnly(alice);
    expect(first).toMatchObject({ userId: "alice", via: "jwt" });
    expect(await jwtOnly(alice)).toBe(first);
    // Signed with the same secret, so only its dev issuer tells it apart.
    const dev = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("upgate-dev")
      .setAudience("upgate-dev")
      .setSubject("mallory")
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode(SECRET));
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(jwtOnly(request({ authorization: `Bearer ${dev}` }))).rejects.toThrow(
        /dev tokens are refused outside dev mode/,
      );
    }
  });

  it("a custom function's string, principal or null becomes the principal", async () => {
    const custom = createAuthenticator({
      custom: async (req) => {
        const who = req.headers.get("x-user");
        if (who === "object") return { userId: "u-2", claims: { plan: "pro" } };
        return who;
      },
    });
    expect(await custom(request({ "x-user": "u-1" }))).toEqual({ userId: "u-1", via: "custom" });
    expect(await custom(request({ "x-user": "object" }))).toEqual({
      userId: "u-2",
      via: "custom",
      claims: { plan: "pro" },
    });
    expect(await custom(request())).toBeNull();
    expect(await codeOf(custom(request({ "x-user": "anonymous" })))).toBe("AUTH_INVALID");
  });

  it("lets a custom function refuse with its own UpgateError", async () => {
    const custom = createAuthenticator({
      custom: () => {
        throw new UpgateError("FORBIDDEN", "banned");
      },
    });
    expect(await codeOf(custom(request()))).toBe("FORBIDDEN");
  });
});
