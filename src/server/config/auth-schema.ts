import { z } from "zod";
import { ANONYMOUS_USER_ID } from "../principal.js";
import { readableIssue } from "./issues.js";
import { duration, httpUrl, isFunction, oneOf } from "./schema-helpers.js";
import type { AuthFunction, JwtAlgorithm } from "./types.js";

export const ASYMMETRIC_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
] as const satisfies readonly JwtAlgorithm[];

const MAX_CLOCK_TOLERANCE_MS = 5 * 60_000;
const MIN_MAX_AGE_MS = 60_000;
const MAX_MAX_AGE_MS = 365 * 24 * 3600_000;

const oneOrMore = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: "must be a string or a list of strings",
});

const algorithm = z.enum(ASYMMETRIC_ALGORITHMS, {
  error: (issue) =>
    /^HS/i.test(String(issue.input))
      ? `${issue.input} is not allowed with a JWKS: HMAC algorithms take a secret (use jwt.secret for HS256)`
      : `must be one of ${ASYMMETRIC_ALGORITHMS.join(", ")}`,
});

const jwt = z
  .strictObject({
    secret: z.string().optional(),
    jwksUrl: httpUrl("jwksUrl", true).optional(),
    algorithms: z.array(algorithm).min(1).optional(),
    issuer: oneOrMore.optional(),
    audience: oneOrMore.optional(),
    clockTolerance: duration.optional(),
    maxAge: duration.optional(),
  })
  .superRefine((cfg, ctx) => {
    const problem = (path: string[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if ((cfg.secret === undefined) === (cfg.jwksUrl === undefined)) {
      problem([], "set exactly one of secret (HS256) or jwksUrl (RS256/ES256 keys)");
    }
    if (cfg.secret !== undefined && cfg.secret.length < 32) {
      problem(["secret"], "must be at least 32 characters: HS256 needs a 256-bit key");
    }
    if (cfg.secret !== undefined && cfg.algorithms !== undefined) {
      problem(["algorithms"], "applies only to jwksUrl; a secret always means HS256");
    }
    if (cfg.clockTolerance !== undefined && cfg.clockTolerance > MAX_CLOCK_TOLERANCE_MS) {
      problem(["clockTolerance"], "must be at most 5 minutes");
    }
    if (cfg.maxAge !== undefined && (cfg.maxAge < MIN_MAX_AGE_MS || cfg.maxAge > MAX_MAX_AGE_MS)) {
      problem(["maxAge"], "must be from 1 minute to 365 days");
    }
  });

const userId = z
  .string()
  .min(1)
  .refine((id) => id !== ANONYMOUS_USER_ID, {
    error: `"${ANONYMOUS_USER_ID}" is reserved for public routes`,
  });

const apiKeyUser = z.union([userId, z.strictObject({ userId })], {
  error: 'must be a user id or { userId: "..." }',
});

/** API keys are reported by position, never by value: the keys are secrets, and paths end up in logs. */
const apiKeys = z.record(z.string(), z.unknown()).transform((keys, ctx) => {
  const entries = Object.entries(keys);
  if (entries.length === 0) ctx.addIssue({ code: "custom", message: "list at least one API key" });
  return entries.map(([key, value], index) => {
    const label = `API key #${index + 1}`;
    if (key.length < 16) ctx.addIssue({ code: "custom", message: `${label} is shorter than 16 characters` });
    const user = apiKeyUser.safeParse(value, { error: readableIssue });
    if (!user.success) {
      const why = user.error.issues[0]?.message ?? "is invalid";
      ctx.addIssue({ code: "custom", message: `${label}'s user ${why}` });
      return { key, userId: "" };
    }
    return { key, userId: typeof user.data === "string" ? user.data : user.data.userId };
  });
});

const dev = z.strictObject({
  secret: z.string().min(32, { error: "must be at least 32 characters: HS256 needs a 256-bit key" }),
  expiresIn: duration.optional(),
});

export const authObject = z
  .strictObject({ jwt: jwt.optional(), apiKeys: apiKeys.optional(), dev: dev.optional() })
  .refine((auth) => auth.jwt !== undefined || auth.apiKeys !== undefined || auth.dev !== undefined, {
    error: "configure jwt, apiKeys or both (or dev, or give a function)",
  });

export const authSchema = oneOf(isFunction, z.custom<AuthFunction>(isFunction), authObject);

export type ParsedAuth = z.output<typeof authSchema>;
