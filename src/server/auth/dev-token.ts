import { decodeJwt, SignJWT } from "jose";
import { UpgateError } from "../../core/errors.js";
import type { ResolvedDevAuth, ResolvedJwt } from "../config/resolved.js";
import { ANONYMOUS_USER_ID } from "../principal.js";

/** The `iss` and `aud` of every dev token: how a gateway tells a dev token from a real one. */
export const DEV_ISSUER = "upgate-dev";

/** A demo user name: a letter or digit, then up to 63 letters, digits, ".", "_" or "-". */
const DEV_USER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why `user` cannot be a demo user's name, or undefined when it can. */
export function devUserProblem(user: unknown): string | undefined {
  if (typeof user !== "string" || !DEV_USER.test(user)) {
    return 'user must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit';
  }
  if (user === ANONYMOUS_USER_ID) return `the user name "${ANONYMOUS_USER_ID}" is reserved`;
  return undefined;
}

/** The verifier settings for dev tokens: HS256 with the dev secret, issuer and audience pinned. */
export function devJwtConfig(dev: ResolvedDevAuth): ResolvedJwt {
  return {
    kind: "secret",
    secret: dev.secret,
    issuer: DEV_ISSUER,
    audience: DEV_ISSUER,
    clockToleranceSeconds: 5,
    maxAgeSeconds: dev.expiresInSeconds,
  };
}

/** A signed dev token whose `sub` is the demo user. */
export async function issueDevToken(
  dev: ResolvedDevAuth,
  user: string,
  now: Date = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const problem = devUserProblem(user);
  if (problem) throw new UpgateError("VALIDATION_FAILED", problem, { details: { field: "user" } });
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expires = issuedAt + dev.expiresInSeconds;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_ISSUER)
    .setSubject(user)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expires)
    .sign(new TextEncoder().encode(dev.secret));
  return { token, expiresAt: new Date(expires * 1000) };
}

/** Whether a JWT-shaped token claims to be a dev token (unverified: only for routing the check). */
export function claimsDevIssuer(token: string): boolean {
  try {
    return decodeJwt(token).iss === DEV_ISSUER;
  } catch {
    return false;
  }
}
