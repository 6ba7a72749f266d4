import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyOptions, jwtVerify } from "jose";
import { UpgateError } from "../../core/errors.js";
import type { ResolvedJwt } from "../config/resolved.js";
import { ANONYMOUS_USER_ID, type Principal } from "../principal.js";
import { createTokenCache } from "./token-cache.js";

/** Why a token was refused, for people; it never echoes the token. */
const REASONS: Record<string, string> = {
  ERR_JWT_EXPIRED: "the token has expired",
  ERR_JOSE_ALG_NOT_ALLOWED: "the token's signing algorithm is not accepted",
  ERR_JOSE_NOT_SUPPORTED: "the token's signing algorithm is not accepted",
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: "the token's signature is invalid",
  ERR_JWKS_NO_MATCHING_KEY: "the token was not signed by a key of the configured issuer",
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: "the token was not signed by a key of the configured issuer",
};

const CLAIM_REASONS: Record<string, string> = {
  aud: "the token is for another audience",
  iss: "the token is from another issuer",
  nbf: "the token is not valid yet",
  exp: "the token has no expiry (exp)",
  sub: "the token has no subject (sub)",
};

export const MAX_SUBJECT_LENGTH = 1024;

/** Failures to fetch the key set: our problem, not the caller's, so not a 401. */
const UNAVAILABLE = new Set(["ERR_JWKS_TIMEOUT", "ERR_JWKS_INVALID", "ERR_JOSE_GENERIC"]);

function invalid(reason: string, cause?: unknown): UpgateError {
  return new UpgateError("AUTH_INVALID", `Invalid token: ${reason}`, { cause });
}

function refusal(err: unknown, remote: boolean): UpgateError {
  if (err instanceof errors.JOSEError) {
    if (remote && UNAVAILABLE.has(err.code)) {
      return new UpgateError("AUTH_UNAVAILABLE", "The identity provider's keys could not be fetched", {
        cause: err,
      });
    }
    if (err instanceof errors.JWTClaimValidationFailed) {
      return invalid(CLAIM_REASONS[err.claim] ?? `the token's ${err.claim} claim is invalid`, err);
    }
    return invalid(REASONS[err.code] ?? "the token is malformed", err);
  }
  if (remote) {
    return new UpgateError("AUTH_UNAVAILABLE", "The identity provider's keys could not be fetched", {
      cause: err,
    });
  }
  return invalid("the token is malformed", err);
}

/**
 * Why the token lives longer than `maxAgeSeconds` allows, or undefined. With an `iat`: issued no
 * more than maxAge ago (and not in the future), and expiring no more than maxAge after it was
 * issued. Without one, its lifetime cannot be known, so what is left of it counts: it must expire
 * no more than maxAge from now. Either way no accepted token is usable for longer than maxAge.
 */
export function lifetimeProblem(
  payload: JWTPayload,
  maxAgeSeconds: number,
  toleranceSeconds: number,
  nowSeconds: number,
): string | undefined {
  const limit = maxAgeSeconds + toleranceSeconds;
  const exp = payload.exp;
  if (typeof exp !== "number") return CLAIM_REASONS.exp;
  const iat = payload.iat;
  if (iat === undefined) {
    return exp - nowSeconds > limit
      ? "the token has no iat and expires later than auth.jwt.maxAge from now"
      : undefined;
  }
  if (iat > nowSeconds + toleranceSeconds) return "the token's iat is in the future";
  if (nowSeconds - iat > limit) return "the token was issued longer ago than auth.jwt.maxAge";
  if (exp - iat > limit) return "the token's lifetime (exp - iat) is longer than auth.jwt.maxAge";
  return undefined;
}

function principalOf(payload: JWTPayload): Principal {
  const sub = payload.sub;
  if (typeof sub !== "string" || sub === "") throw invalid(CLAIM_REASONS.sub!);
  if (sub === ANONYMOUS_USER_ID) throw invalid(`the subject "${ANONYMOUS_USER_ID}" is reserved`);
  // The subject is signed into every upload as metadata, and S3 allows 2 KB of metadata in all.
  if (sub.length > MAX_SUBJECT_LENGTH) {
    throw invalid(`the token's subject is longer than ${MAX_SUBJECT_LENGTH} characters`);
  }
  return { userId: sub, via: "jwt", claims: { ...payload } };
}

export interface JwtVerifier {
  (token: string): Promise<Principal>;
  /** The principal of a token this verifier accepted and still trusts (its cache), without verifying. */
  known(token: string): Principal | undefined;
}

/**
 * A verifier for bearer JWTs. The accepted algorithms are pinned (HS256 for a secret; RS256/ES256
 * or the configured list for a JWKS), so "none" and HMAC-with-a-public-key confusion are refused;
 * exp and sub are required; issuer and audience are checked when configured; no token may live
 * longer than maxAge (lifetimeProblem). Throws UpgateError
 * AUTH_INVALID (or AUTH_UNAVAILABLE when the JWKS cannot be fetched).
 */
export function createJwtVerifier(config: ResolvedJwt): JwtVerifier {
  const options: JWTVerifyOptions = {
    algorithms: config.kind === "secret" ? ["HS256"] : [...config.algorithms],
    clockTolerance: config.clockToleranceSeconds,
    requiredClaims: ["exp", "sub"],
    ...(config.issuer !== undefined && { issuer: config.issuer }),
    ...(config.audience !== undefined && { audience: config.audience }),
  };
  const cache = createTokenCache();
  const verify = (token: string, key: Parameters<typeof jwtVerify>[1], remote: boolean) =>
    jwtVerify(token, key, options).then(
      (result) => result.payload,
      (err: unknown) => {
        throw refusal(err, remote);
      },
    );
  const known = (token: string) => cache.get(token);
  const cached = (check: (token: string) => Promise<JWTPayload>) => async (token: string) => {
    const hit = cache.get(token);
    if (hit) return hit;
    const payload = await check(token);
    const tooLong = lifetimeProblem(
      payload,
      config.maxAgeSeconds,
      config.clockToleranceSeconds,
      Math.floor(Date.now() / 1000),
    );
    if (tooLong) throw invalid(tooLong);
    const principal = principalOf(payload);
    cache.set(token, principal, payload.exp);
    return principal;
  };
  if (config.kind === "secret") {
    // Imported once: importing the key is a good part of the cost of a verification.
    const key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(config.secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    return Object.assign(
      cached(async (token) => verify(token, await key, false)),
      { known },
    );
  }
  const keys = createRemoteJWKSet(config.url, { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  return Object.assign(
    cached((token) => verify(token, keys, true)),
    { known },
  );
}
