import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { useLocalGateways } from "../../../test/support/local-gateway.js";
import { UpgateError } from "../../core/errors.js";
import { DEV_ISSUER } from "../auth/dev-token.js";
import type { UpgateConfig } from "../config/types.js";
import type { Gateway } from "../gateway.js";

const SECRET = "dev-session-test-secret-0123456789abcdef";
const localGateway = useLocalGateways();
const gateway = (config: Partial<UpgateConfig>): Gateway =>
  localGateway({ routes: { images: { types: ["image/png"], maxSize: "1MB" } }, ...config });

const session = (g: Gateway, body: unknown) =>
  g.fetch(
    new Request("http://gw.test/v1/dev/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
const list = (g: Gateway, token: string) =>
  g.fetch(new Request("http://gw.test/v1/uploads", { headers: { authorization: `Bearer ${token}` } }));
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;

describe("dev sign-in (mode: dev, auth.dev)", () => {
  const dev = (): Gateway => gateway({ mode: "dev", auth: { dev: { secret: SECRET } } });

  it("issues a token for a demo user, and the gateway accepts it as that user", async () => {
    const g = dev();
    const res = await session(g, { user: " ada " });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; user: string; expiresAt: string };
    expect(body.user).toBe("ada");
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(11 * 3600_000);
    const listed = await list(g, body.token);
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({ uploads: [] });
    expect(await g.ledger.list({ userId: "ada", limit: 10 })).toEqual({ rows: [] });
  });

  it("refuses names that are not demo user names", async () => {
    const g = dev();
    for (const user of ["", "anonymous", "a b", "../x", 42, "x".repeat(65)]) {
      const res = await session(g, { user });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe("VALIDATION_FAILED");
    }
    expect((await session(g, {})).status).toBe(400);
  });

  it("refuses a dev-shaped token signed with another secret, and a JWT of another issuer", async () => {
    const g = dev();
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_ISSUER)
      .setSubject("mallory")
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("another-secret-0123456789abcdef-0123"));
    const other = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("mallory")
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(SECRET));
    for (const token of [forged, other]) {
      const res = await list(g, token);
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe("AUTH_INVALID");
    }
  });
});

describe("outside dev mode", () => {
  it("a config with auth.dev but without mode: dev is refused at start-up", () => {
    let error: unknown;
    try {
      gateway({ auth: { dev: { secret: SECRET } } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UpgateError);
    expect((error as UpgateError).code).toBe("CONFIG_INVALID");
    expect((error as UpgateError).message).toMatch(/auth\.dev: is accepted only with mode: "dev"/);
  });

  it("has no session endpoint, and refuses dev tokens even when its JWT secret is the dev secret", async () => {
    const devToken = (await (
      await session(gateway({ mode: "dev", auth: { dev: { secret: SECRET } } }), { user: "ada" })
    ).json()) as { token: string };
    const prod = gateway({ auth: { jwt: { secret: SECRET } } });
    const res = await session(prod, { user: "ada" });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("NOT_FOUND");
    const refused = await list(prod, devToken.token);
    expect(refused.status).toBe(401);
    expect(await errorOf(refused)).toMatchObject({
      code: "AUTH_INVALID",
      message: expect.stringMatching(/dev tokens are refused outside dev mode/),
    });
  });
});
