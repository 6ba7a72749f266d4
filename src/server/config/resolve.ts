import { createDefaultLogger } from "../observe/default-logger.js";
import type { ParsedAuth } from "./auth-schema.js";
import { configError, readableIssue, toProblems } from "./issues.js";
import { keyPrefixes } from "./key-prefixes.js";
import type { ResolvedAuth, ResolvedConfig, ResolvedJwt } from "./resolved.js";
import { resolveRoute } from "./route.js";
import { configSchema, type ParsedConfig } from "./schema.js";
import type { UpgateConfig } from "./types.js";
import { passwordOf } from "./url-password.js";

/** Where the ledger lives when the config names none: "sqlite:./.upgate/ledger.db". */
export const DEFAULT_LEDGER = { kind: "sqlite", path: "./.upgate/ledger.db" } as const;
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
const DEFAULT_SWEEP_GRACE_MS = 10 * 60_000;
/** How often startSweeping() sweeps: a few minutes in production, sooner in dev (a closed demo tab). */
const DEFAULT_SWEEP_INTERVAL_MS = { production: 5 * 60_000, dev: 30_000 } as const;
const DEFAULT_CORS_MAX_AGE_SECONDS = 600;
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_DEV_TOKEN_SECONDS = 12 * 3600;
const DEFAULT_JWT_MAX_AGE_SECONDS = 24 * 3600;

function resolveJwt(
  jwt: NonNullable<Exclude<ParsedAuth, (...args: never[]) => unknown>["jwt"]>,
): ResolvedJwt {
  const checks = {
    clockToleranceSeconds:
      jwt.clockTolerance === undefined
        ? DEFAULT_CLOCK_TOLERANCE_SECONDS
        : Math.ceil(jwt.clockTolerance / 1000),
    maxAgeSeconds: jwt.maxAge === undefined ? DEFAULT_JWT_MAX_AGE_SECONDS : Math.floor(jwt.maxAge / 1000),
    ...(jwt.issuer !== undefined && { issuer: jwt.issuer }),
    ...(jwt.audience !== undefined && { audience: jwt.audience }),
  };
  if (jwt.secret !== undefined) return { kind: "secret", secret: jwt.secret, ...checks };
  return { kind: "jwks", url: jwt.jwksUrl!, algorithms: jwt.algorithms ?? ["RS256", "ES256"], ...checks };
}

function sweepSettings(sweep: ParsedConfig["sweep"], mode: "production" | "dev"): ResolvedConfig["sweep"] {
  const interval = sweep === false ? false : sweep?.interval;
  return {
    graceMs: (sweep || undefined)?.grace ?? DEFAULT_SWEEP_GRACE_MS,
    intervalMs: interval === false ? undefined : (interval ?? DEFAULT_SWEEP_INTERVAL_MS[mode]),
  };
}

function resolveAuth(auth: ParsedConfig["auth"]): ResolvedAuth {
  if (auth === undefined) return {};
  if (typeof auth === "function") return { custom: auth };
  const resolved: ResolvedAuth = {};
  if (auth.jwt) resolved.jwt = resolveJwt(auth.jwt);
  if (auth.apiKeys) resolved.apiKeys = auth.apiKeys;
  if (auth.dev) {
    const ms = auth.dev.expiresIn;
    resolved.dev = {
      secret: auth.dev.secret,
      expiresInSeconds: ms === undefined ? DEFAULT_DEV_TOKEN_SECONDS : Math.ceil(ms / 1000),
    };
  }
  return resolved;
}

function secretsOf(config: ParsedConfig, auth: ResolvedAuth): string[] {
  const secrets: string[] = [];
  const keys = config.storage.credentials;
  // A provider's secrets change with each refresh: the scrubber asks the credential source for them.
  if (typeof keys === "object")
    secrets.push(keys.secretAccessKey, ...(keys.sessionToken ? [keys.sessionToken] : []));
  if (auth.jwt?.kind === "secret") secrets.push(auth.jwt.secret);
  if (auth.dev) secrets.push(auth.dev.secret);
  for (const { key } of auth.apiKeys ?? []) secrets.push(key);
  for (const route of Object.values(config.routes))
    if (route.webhook) secrets.push(route.webhook.secret, route.webhook.url);
  if (config.ledger && "kind" in config.ledger && config.ledger.kind === "postgres") {
    const password = passwordOf(config.ledger.url);
    if (password) secrets.push(password);
  }
  return secrets;
}

/**
 * Validates a config and normalizes it: defaults applied, sizes in bytes, durations converted,
 * a logger created when none was given. Throws one UpgateError CONFIG_INVALID that lists every
 * problem (path and message), so a wrong config fails at start-up, readably.
 */
export function resolveConfig(input: UpgateConfig): ResolvedConfig {
  const parsed = configSchema.safeParse(input, { error: readableIssue });
  if (!parsed.success) throw configError(toProblems(parsed.error.issues));
  const config = parsed.data;
  const auth = resolveAuth(config.auth);
  const ledgerInput = config.ledger ?? DEFAULT_LEDGER;
  const routes = new Map(
    Object.entries(config.routes).map(([name, route]) => [name, resolveRoute(name, route)]),
  );
  const logger =
    config.logger && "child" in config.logger
      ? config.logger
      : createDefaultLogger(config.logger?.level ?? "info");
  const resolved: ResolvedConfig = {
    mode: config.mode ?? "production",
    storage: {
      ...config.storage,
      forcePathStyle: config.storage.forcePathStyle ?? false,
      supportsPost: config.storage.supportsPost ?? true,
    },
    ledger: "reserve" in ledgerInput ? { kind: "instance", ledger: ledgerInput } : ledgerInput,
    auth,
    routes,
    basePath: config.basePath ?? "",
    trustProxy: config.trustProxy ?? false,
    sweep: sweepSettings(config.sweep, config.mode ?? "production"),
    logger,
    limits: { maxBodyBytes: config.limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES },
    secrets: secretsOf(config, auth),
  };
  if (config.cors) {
    resolved.cors = {
      origins: config.cors.origins === "*" ? "*" : new Set(config.cors.origins),
      credentials: config.cors.credentials ?? false,
      maxAgeSeconds:
        config.cors.maxAge === undefined
          ? DEFAULT_CORS_MAX_AGE_SECONDS
          : Math.floor(config.cors.maxAge / 1000),
    };
  }
  if (config.quarantinePrefix !== undefined) {
    const inside = keyPrefixes(routes.values()).find((p) => config.quarantinePrefix!.startsWith(`${p}/`));
    if (inside !== undefined) {
      throw configError([
        {
          path: "quarantinePrefix",
          message: `is inside the route prefix "${inside}/", where the sweeper would delete quarantined objects`,
        },
      ]);
    }
    resolved.quarantinePrefix = config.quarantinePrefix;
  }
  return resolved;
}
