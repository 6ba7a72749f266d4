import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { UpgateError } from "../../core/errors.js";
import { DEFAULT_KEY_TEMPLATE } from "../../core/policy/keys.js";
import { defineConfig } from "./define.js";
import type { ConfigProblem } from "./issues.js";
import { resolveConfig } from "./resolve.js";
import type { UpgateConfig } from "./types.js";

const MiB = 1024 * 1024;
const storage = {
  endpoint: "http://127.0.0.1:9000",
  region: "us-east-1",
  bucket: "uploads",
  credentials: { accessKeyId: "AKID", secretAccessKey: "storage-secret-value" },
  forcePathStyle: true,
};
const base = defineConfig({
  storage,
  auth: { jwt: { secret: "a-jwt-secret-that-is-long-enough-0123" } },
  routes: { images: { types: ["image/png"], maxSize: "10MB" } },
  logger: { level: "silent" },
});

function problemsOf(config: unknown): ConfigProblem[] {
  try {
    resolveConfig(config as UpgateConfig);
  } catch (err) {
    if (err instanceof UpgateError && err.code === "CONFIG_INVALID")
      return err.details!.problems as ConfigProblem[];
    throw err;
  }
  throw new Error("expected the config to be refused");
}

describe("resolveConfig", () => {
  it("applies every default and converts sizes and durations", () => {
    const config = resolveConfig(base);
    const route = config.routes.get("images")!;
    expect(route.policy).toEqual({
      name: "images",
      label: "images",
      types: ["image/png"],
      maxSize: 10 * MiB,
      minSize: 0,
      maxFiles: 10,
      expiresIn: 300,
      checksum: "optional",
      checksumAlgorithm: "sha256",
      strategy: "auto",
      multipartThreshold: 64 * MiB,
      partSize: 16 * MiB,
      sniff: true,
      public: false,
      keyTemplate: DEFAULT_KEY_TEMPLATE,
    });
    expect(route.key).toEqual({ template: DEFAULT_KEY_TEMPLATE });
    expect(config.ledger).toEqual({ kind: "sqlite", path: "./.upgate/ledger.db" });
    expect(config.storage).toMatchObject({ forcePathStyle: true, supportsPost: true });
    expect(config.storage.acl).toBeUndefined();
    expect(config).toMatchObject({ basePath: "", trustProxy: false, limits: { maxBodyBytes: MiB } });
    expect(config.cors).toBeUndefined();
    expect(config.auth.jwt).toMatchObject({
      kind: "secret",
      clockToleranceSeconds: 5,
      maxAgeSeconds: 86_400,
    });
  });

  it.each([
    ["no sweep setting", {}, { graceMs: 600_000, intervalMs: 300_000 }],
    ["dev mode", { mode: "dev", auth: { dev: { secret: "d".repeat(32) } } }, { intervalMs: 30_000 }],
    [
      "a grace and an interval",
      { sweep: { grace: "1m", interval: "2s" } },
      { graceMs: 60_000, intervalMs: 2000 },
    ],
    ["sweep: false", { sweep: false }, { graceMs: 600_000, intervalMs: undefined }],
    [
      "interval: false",
      { sweep: { grace: 30, interval: false } },
      { graceMs: 30_000, intervalMs: undefined },
    ],
  ])("resolves the sweeper's settings with %s", (_name, change, expected) => {
    expect(resolveConfig({ ...base, ...change } as UpgateConfig).sweep).toMatchObject(expected);
  });

  it("refuses a sweep interval under a second", () => {
    expect(problemsOf({ ...base, sweep: { interval: "10ms" } })).toEqual([
      { path: "sweep.interval", message: expect.stringMatching(/at least 1 second/) },
    ]);
  });

  it("converts quotas, rate limits, CORS, the base path, the ledger URL and the quarantine prefix", () => {
    const config = resolveConfig({
      ...base,
      ledger: "postgres://upgate:pg-password@db:5432/upgate",
      basePath: "/api/",
      quarantinePrefix: "/quarantine",
      cors: { origins: ["https://app.example.com"], credentials: true, maxAge: "1h" },
      routes: {
        images: {
          types: ["Image/*"],
          maxSize: 1024,
          expiresIn: "15m",
          quota: { bytes: "1GB", files: 100, period: "day" },
          rateLimit: { perMinute: 30 },
        },
      },
    });
    const route = config.routes.get("images")!;
    expect(route.policy).toMatchObject({ types: ["image/*"], maxSize: 1024, expiresIn: 900 });
    expect(route.quota).toEqual({ bytes: 1024 * MiB, files: 100, periodMs: 86_400_000 });
    expect(route.rateLimit).toEqual({ perMinute: 30 });
    expect(config.ledger).toEqual({ kind: "postgres", url: "postgres://upgate:pg-password@db:5432/upgate" });
    expect(config.basePath).toBe("/api");
    expect(config.quarantinePrefix).toBe("quarantine/");
    expect(config.cors).toEqual({
      origins: new Set(["https://app.example.com"]),
      credentials: true,
      maxAgeSeconds: 3600,
    });
    expect(config.secrets).toEqual(
      expect.arrayContaining([
        "storage-secret-value",
        "pg-password",
        "a-jwt-secret-that-is-long-enough-0123",
      ]),
    );
  });

  it("a quota without a period counts in total", () => {
    const config = resolveConfig({
      ...base,
      routes: { images: { types: ["image/png"], maxSize: 10, quota: { files: 3 } } },
    });
    expect(config.routes.get("images")!.quota).toEqual({ files: 3 });
  });

  it("keeps a route's inline types, normalized, and refuses ones that are not type patterns", () => {
    const config = resolveConfig({
      ...base,
      routes: { docs: { types: ["image/svg+xml"], maxSize: 10, inline: ["Image/SVG+XML"] } },
    });
    expect(config.routes.get("docs")!.inline).toEqual(["image/svg+xml"]);
    expect(config.routes.get("images")?.inline).toBeUndefined();
    expect(
      problemsOf({ ...base, routes: { docs: { types: ["text/html"], maxSize: 10, inline: ["html"] } } }),
    ).toEqual([expect.objectContaining({ path: expect.stringMatching(/^routes\.docs\.inline/) })]);
  });

  it("a route-wide cap (routeQuota) resolves like a quota", () => {
    const config = resolveConfig({
      ...base,
      routes: {
        images: {
          types: ["image/png"],
          maxSize: 10,
          quota: { files: 3 },
          routeQuota: { bytes: "1KB", files: 100, period: "day" },
        },
      },
    });
    expect(config.routes.get("images")!.routeQuota).toEqual({
      bytes: 1024,
      files: 100,
      periodMs: 86_400_000,
    });
    expect(
      problemsOf({ ...base, routes: { images: { types: ["image/png"], maxSize: 10, routeQuota: {} } } }),
    ).toEqual([expect.objectContaining({ path: "routes.images.routeQuota" })]);
  });

  it("auth.jwt.maxAge caps token lifetime: a duration from 1 minute to 365 days", () => {
    const jwt = (maxAge: unknown) => ({
      ...base,
      auth: { jwt: { secret: "a-jwt-secret-that-is-long-enough-0123", maxAge } },
    });
    expect(resolveConfig(jwt("1h") as UpgateConfig).auth.jwt).toMatchObject({ maxAgeSeconds: 3600 });
    expect(problemsOf(jwt("10s"))).toEqual([expect.objectContaining({ path: "auth.jwt.maxAge" })]);
    expect(problemsOf(jwt("400d"))).toEqual([expect.objectContaining({ path: "auth.jwt.maxAge" })]);
  });

  it("uses a pino logger it is given, and creates one from a level", () => {
    const logger = pino({ level: "silent" });
    expect(resolveConfig({ ...base, logger }).logger).toBe(logger);
    expect(resolveConfig({ ...base, logger: { level: "warn" } }).logger.level).toBe("warn");
  });

  it("lists every problem at once, each with its path, in one readable message", () => {
    let error: UpgateError | undefined;
    try {
      resolveConfig({
        storage: { ...storage, endpoint: "ftp://x", credentials: { accessKeyId: "", secretAccessKey: "s" } },
        auth: { jwt: { secret: "short" } },
        routes: {
          images: { types: ["image/png", "not a type"], maxSize: "10XB", maxFiles: 0, colour: "red" },
        },
      } as unknown as UpgateConfig);
    } catch (err) {
      error = err as UpgateError;
    }
    expect(error).toBeInstanceOf(UpgateError);
    expect(error!.code).toBe("CONFIG_INVALID");
    const problems = error!.details!.problems as ConfigProblem[];
    expect(problems.map((p) => p.path).sort()).toEqual(
      [
        "auth.jwt.secret",
        "routes.images",
        "routes.images.maxFiles",
        "routes.images.maxSize",
        "routes.images.types[1]",
        "storage.credentials.accessKeyId",
        "storage.endpoint",
      ].sort(),
    );
    expect(error!.message).toContain("Invalid upgate config (7 problems):");
    expect(error!.message).toContain('  - routes.images.maxSize: invalid size "10XB": unknown unit "XB"');
    expect(error!.message).toContain('  - routes.images: unknown setting "colour"');
    expect(error!.message).toContain("  - auth.jwt.secret: must be at least 32 characters");
    expect(error!.message).toContain("  - storage.credentials.accessKeyId: must not be empty");
    expect(error!.message).toContain('"not a type" is not a MIME type pattern');
  });

  it("storage.acl is a canned ACL that lets only the bucket's owner read", () => {
    for (const acl of ["private", "bucket-owner-full-control"] as const) {
      expect(resolveConfig({ ...base, storage: { ...storage, acl } }).storage.acl).toBe(acl);
    }
    for (const acl of ["public-read", "authenticated-read", "PRIVATE"]) {
      const [problem] = problemsOf({ ...base, storage: { ...storage, acl } });
      expect(problem).toMatchObject({ path: "storage.acl" });
      expect(problem!.message).toMatch(
        /"private", "bucket-owner-full-control".*bypass the gateway's downloads/,
      );
    }
  });

  it("says what is missing", () => {
    expect(problemsOf({ routes: {} })).toEqual(
      expect.arrayContaining([{ path: "storage", message: "is required" }]),
    );
    expect(problemsOf({ ...base, routes: { images: { maxSize: 1 } } })).toEqual([
      { path: "routes.images.types", message: "is required" },
    ]);
  });

  it.each<[string, Partial<UpgateConfig>, string, RegExp]>([
    [
      "a bad route name",
      { routes: { Images_1: { types: ["image/png"], maxSize: 1 } } },
      "routes.Images_1",
      /lower-case/,
    ],
    ["no routes", { routes: {} }, "routes", /at least one route/],
    [
      "POST on a storage without POST",
      {
        storage: { ...storage, supportsPost: false },
        routes: { r: { types: ["image/png"], maxSize: 1, strategy: "post" } },
      },
      "routes.r.strategy",
      /supportsPost: false/,
    ],
    [
      "no auth for a non-public route",
      {
        auth: undefined,
        routes: { a: { types: ["*/*"], maxSize: 1 }, b: { types: ["*/*"], maxSize: 1, public: true } },
      },
      "auth",
      /route "a" is not public/,
    ],
    [
      "CORS * with credentials",
      { cors: { origins: "*", credentials: true } },
      "cors.credentials",
      /list the origins/,
    ],
    [
      "an origin with a path",
      { cors: { origins: ["https://app.example.com/"] } },
      "cors.origins[0]",
      /not an origin/,
    ],
    [
      "minSize over maxSize",
      { routes: { r: { types: ["*/*"], maxSize: 10, minSize: 11 } } },
      "routes.r.minSize",
      /more than maxSize/,
    ],
    [
      "a part size under 5 MB",
      { routes: { r: { types: ["*/*"], maxSize: 10, partSize: "1MB" } } },
      "routes.r.partSize",
      /5 MB/,
    ],
    [
      "a PUT route over 5 GB",
      { routes: { r: { types: ["*/*"], maxSize: "6GB", strategy: "put" } } },
      "routes.r.maxSize",
      /one PUT/,
    ],
    [
      "an expiry over 7 days",
      { routes: { r: { types: ["*/*"], maxSize: 1, expiresIn: "8d" } } },
      "routes.r.expiresIn",
      /7 days/,
    ],
    [
      "a key template without {random}",
      { routes: { r: { types: ["*/*"], maxSize: 1, key: "{userId}/x" } } },
      "routes.r.key",
      /\{random\}/,
    ],
    [
      "an empty quota",
      { routes: { r: { types: ["*/*"], maxSize: 1, quota: {} } } },
      "routes.r.quota",
      /bytes, files or both/,
    ],
    [
      "a short webhook secret",
      { routes: { r: { types: ["*/*"], maxSize: 1, webhook: { url: "https://h.test", secret: "x" } } } },
      "routes.r.webhook.secret",
      /16/,
    ],
    ["a ledger URL of another kind", { ledger: "mysql://x" }, "ledger", /sqlite:<path>/],
    [
      "a JWKS over plain http",
      { auth: { jwt: { jwksUrl: "http://idp.example.com/jwks" } } },
      "auth.jwt.jwksUrl",
      /https/,
    ],
    [
      "HS256 listed for a JWKS",
      { auth: { jwt: { jwksUrl: "https://idp.test/jwks", algorithms: ["HS256" as "RS256"] } } },
      "auth.jwt.algorithms[0]",
      /HMAC/,
    ],
    [
      "both secret and jwksUrl",
      { auth: { jwt: { secret: "s".repeat(32), jwksUrl: "https://idp.test/j" } } },
      "auth.jwt",
      /exactly one/,
    ],
    [
      "a short API key, without showing it",
      { auth: { apiKeys: { short: "svc" } } },
      "auth.apiKeys",
      /^API key #1 is shorter than 16 characters$/,
    ],
    [
      "an API key for the anonymous user",
      { auth: { apiKeys: { ["k".repeat(20)]: "anonymous" } } },
      "auth.apiKeys",
      /^API key #1's user "anonymous" is reserved/,
    ],
    ["a quarantine inside a route's keys", { quarantinePrefix: "images/q" }, "quarantinePrefix", /sweeper/],
    [
      "a hook that is not a function",
      { routes: { r: { types: ["*/*"], maxSize: 1, onBeforeUpload: "no" as never } } },
      "routes.r.onBeforeUpload",
      /must be a function/,
    ],
  ])("refuses %s", (_name, change, path, message) => {
    const problems = problemsOf({ ...base, ...change });
    expect(problems).toEqual(expect.arrayContaining([{ path, message: expect.stringMatching(message) }]));
  });

  it("accepts a public-only config without auth, a JWKS on https, API keys and a function", () => {
    expect(() =>
      resolveConfig({
        ...base,
        auth: undefined,
        routes: { r: { types: ["*/*"], maxSize: 1, public: true } },
      }),
    ).not.toThrow();
    const jwks = resolveConfig({
      ...base,
      auth: { jwt: { jwksUrl: "https://idp.test/.well-known/jwks.json", audience: "api" } },
    });
    expect(jwks.auth.jwt).toMatchObject({ kind: "jwks", algorithms: ["RS256", "ES256"], audience: "api" });
    const keys = resolveConfig({
      ...base,
      auth: { apiKeys: { "key-0123456789abcdef": "svc", "key-fedcba9876543210": { userId: "svc-2" } } },
    });
    expect(keys.auth.apiKeys).toEqual([
      { key: "key-0123456789abcdef", userId: "svc" },
      { key: "key-fedcba9876543210", userId: "svc-2" },
    ]);
    expect(keys.secrets).toEqual(expect.arrayContaining(["key-0123456789abcdef", "key-fedcba9876543210"]));
    const fn = () => null;
    expect(resolveConfig({ ...base, auth: fn }).auth).toEqual({ custom: fn });
  });
});
