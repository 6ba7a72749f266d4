import fc from "fast-check";
import { UpgateError } from "../../../src/core/errors.js";
import { resolveConfig } from "../../../src/server/config/resolve.js";
import type { UpgateConfig } from "../../../src/server/config/types.js";
import { applyEdits, type Edit, editArb, nastyArb } from "../arbitraries/mutate.js";
import { observe } from "../harness/observe.js";
import { check, clip, type FuzzTarget, settleSync } from "../harness/target.js";

const STORAGE_SECRET = "storage-secret-value-0123456789";
const JWT_SECRET = "a-jwt-secret-that-is-long-enough-0123";
const WEBHOOK_SECRET = "webhook-secret-0123456789";

/** A config as a JSON config file holds it: every setting the schema reads, most with a value. */
function baseConfig(): Record<string, unknown> {
  return {
    storage: {
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
      bucket: "uploads",
      credentials: { accessKeyId: "AKID", secretAccessKey: STORAGE_SECRET },
      forcePathStyle: true,
    },
    auth: { jwt: { secret: JWT_SECRET, issuer: "https://issuer.example", clockTolerance: "5s" } },
    routes: {
      images: {
        label: "Images",
        types: ["image/png", "image/*"],
        maxSize: "10MB",
        minSize: "1 B",
        maxFiles: 3,
        expiresIn: "5m",
        checksum: "required",
        strategy: "auto",
        multipartThreshold: "64MB",
        partSize: "16MB",
        key: "{route}/{userId}/{random}{ext}",
        quota: { bytes: "1GB", files: 100, period: "1d" },
        rateLimit: { perMinute: 60 },
        webhook: { url: "https://hooks.example/upgate", secret: WEBHOOK_SECRET },
      },
    },
    cors: { origins: ["https://app.example"], credentials: true, maxAge: "10m" },
    basePath: "/api",
    quarantinePrefix: "quarantine",
    sweep: { grace: "10m" },
    limits: { maxBodyBytes: 1048576 },
    logger: { level: "silent" },
  };
}

type Op =
  | { kind: "replace"; value: unknown }
  | { kind: "delete" }
  | { kind: "add"; name: string; value: unknown }
  | { kind: "edit"; edit: Edit };

interface Input {
  ops: Array<{ at: number; op: Op }>;
}

const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, Number.NaN, 1e308, "", "*", "10MB", "-5m", "0", [], {}, [
    "*",
  ]),
  nastyArb,
  fc.integer(),
  fc.array(nastyArb, { maxLength: 3 }),
  fc.dictionary(nastyArb, nastyArb, { maxKeys: 2 }),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("replace" as const), value: valueArb }),
  fc.record({ kind: fc.constant("delete" as const) }),
  fc.record({
    kind: fc.constant("add" as const),
    name: fc.oneof(nastyArb, fc.constantFrom("__proto__", "constructor", "extra")),
    value: valueArb,
  }),
  fc.record({ kind: fc.constant("edit" as const), edit: editArb() }),
);

/** Every [parent, key] in the config, so an op can land on any setting at any depth. */
function slots(
  value: unknown,
  out: Array<[Record<string, unknown>, string]> = [],
): Array<[Record<string, unknown>, string]> {
  if (value === null || typeof value !== "object") return out;
  for (const key of Object.keys(value)) {
    out.push([value as Record<string, unknown>, key]);
    slots((value as Record<string, unknown>)[key], out);
  }
  return out;
}

function apply(config: Record<string, unknown>, at: number, op: Op): void {
  const all = slots(config);
  if (all.length === 0) return;
  const [parent, key] = all[at % all.length]!;
  if (op.kind === "replace") parent[key] = op.value;
  else if (op.kind === "delete") delete parent[key];
  else if (op.kind === "add")
    Object.defineProperty(parent, op.name, {
      value: op.value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  else if (typeof parent[key] === "string") parent[key] = applyEdits(parent[key] as string, [op.edit]);
  else parent[key] = op.edit.text;
}

function property(input: Input): void {
  const config = baseConfig();
  for (const { at, op } of input.ops) apply(config, at, op);
  const r = settleSync(
    () => resolveConfig(config as unknown as UpgateConfig),
    (err) => err instanceof UpgateError && err.code === "CONFIG_INVALID",
    "resolveConfig",
  );
  if (input.ops.length === 0) check(r.ok, "the base config was refused");
  observe(r.ok ? "accepted" : "refused");
  if (r.ok) {
    for (const route of r.value.routes.values()) {
      const p = route.policy;
      check(
        Number.isSafeInteger(p.maxSize) && p.maxSize >= 0 && p.minSize >= 0,
        () => `route sizes ${p.minSize}..${p.maxSize}`,
      );
      check(Number.isInteger(p.expiresIn) && p.expiresIn > 0, () => `route expiresIn ${p.expiresIn}`);
    }
    return;
  }
  const err = r.error as UpgateError;
  const problems = err.details?.problems;
  check(
    Array.isArray(problems) &&
      problems.length > 0 &&
      problems.every((p) => typeof p.path === "string" && typeof p.message === "string"),
    () => `CONFIG_INVALID without a list of problems: ${clip(JSON.stringify(err.details))}`,
  );
  // A refused config is printed at start-up: it must never echo a secret.
  for (const secret of [STORAGE_SECRET, JWT_SECRET, WEBHOOK_SECRET]) {
    check(
      !err.message.includes(secret) && !JSON.stringify(problems).includes(secret),
      () => `the error shows a secret: ${clip(err.message)}`,
    );
  }
}

/** The gateway's config schema (zod): every setting replaced, deleted, added to or edited. */
export const configTarget: FuzzTarget<Input> = {
  name: "config",
  subject: "gateway config validation: resolveConfig (zod schema, sizes, durations, key templates)",
  reaches: ["accepted", "refused"],
  arbitrary: fc.record({ ops: fc.array(fc.record({ at: fc.nat(), op: opArb }), { maxLength: 3 }) }),
  property,
};
