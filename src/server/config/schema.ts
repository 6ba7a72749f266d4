import type { Logger } from "pino";
import { z } from "zod";
import { s3KeyProblem } from "../../core/policy/s3-key.js";
import type { Ledger } from "../ledger/types.js";
import type { CredentialProvider } from "../s3/credentials/types.js";
import { CANNED_ACLS } from "../s3/types.js";
import { authSchema } from "./auth-schema.js";
import { ROUTE_NAME, routeSchema } from "./route-schema.js";
import { duration, httpUrl, isFunction, oneOf, size } from "./schema-helpers.js";

const nonEmpty = z.string().min(1);

/**
 * Keys, as the AWS SDK's credential objects too: their other fields ($source, accountId,
 * credentialScope, ...) are accepted and dropped, so nothing ever logs them.
 */
const keys = z
  .looseObject({
    accessKeyId: nonEmpty,
    secretAccessKey: nonEmpty,
    sessionToken: nonEmpty.optional(),
    expiration: z.date({ error: "must be a Date" }).optional(),
  })
  .transform(({ accessKeyId, secretAccessKey, sessionToken, expiration }) => ({
    accessKeyId,
    secretAccessKey,
    ...(sessionToken !== undefined && { sessionToken }),
    ...(expiration !== undefined && { expiration }),
  }));

const credentials = oneOf(
  (value) => typeof value === "object" && value !== null,
  keys,
  oneOf(
    isFunction,
    z.custom<CredentialProvider>(isFunction),
    z.literal("aws", {
      error:
        'must be keys { accessKeyId, secretAccessKey, sessionToken? }, "aws" (the AWS default chain), or a function returning keys',
    }),
  ),
);

const storage = z.strictObject({
  endpoint: httpUrl("endpoint").transform((url) => url.href.replace(/\/$/, "")),
  region: nonEmpty,
  bucket: nonEmpty,
  credentials,
  forcePathStyle: z.boolean().optional(),
  supportsPost: z.boolean().optional(),
  acl: z
    .enum(CANNED_ACLS, {
      error: `must be one of ${CANNED_ACLS.map((a) => `"${a}"`).join(", ")} (an ACL that lets others read would bypass the gateway's downloads)`,
    })
    .optional(),
});

const LEDGER_METHODS = [
  "migrate",
  "ping",
  "close",
  "reserve",
  "get",
  "transition",
  "list",
  "takeToken",
] as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

const ledgerInstance = z.custom<Ledger>(
  (value) => isObject(value) && LEDGER_METHODS.every((m) => typeof value[m] === "function"),
  { error: `a Ledger instance needs the methods ${LEDGER_METHODS.join(", ")}` },
);

const ledgerUrl = z.string().transform((value, ctx) => {
  if (value.startsWith("sqlite:")) {
    const path = value.slice("sqlite:".length);
    if (path) return { kind: "sqlite" as const, path };
  } else if (/^postgres(ql)?:\/\/./.test(value)) {
    return { kind: "postgres" as const, url: value };
  }
  ctx.addIssue({
    code: "custom",
    message: 'must be "sqlite:<path>" (e.g. "sqlite:./.upgate/ledger.db") or a "postgres://..." URL',
  });
  return z.NEVER;
});

const ledger = oneOf(isObject, ledgerInstance, ledgerUrl);

const origin = z.string().refine(
  (value) => {
    try {
      return new URL(value).origin === value;
    } catch {
      return false;
    }
  },
  {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not an origin like "https://app.example.com" (no path, no trailing "/")`,
  },
);

const cors = z.strictObject({
  origins: z.union([z.literal("*"), z.array(origin).min(1)], { error: 'must be "*" or a list of origins' }),
  credentials: z.boolean().optional(),
  maxAge: duration.optional(),
});

const basePath = z.string().transform((value, ctx) => {
  const trimmed = value.replace(/\/+$/, "");
  if (trimmed !== "" && !/^(\/[A-Za-z0-9._~-]+)+$/.test(trimmed)) {
    ctx.addIssue({ code: "custom", message: 'must be "" or a path like "/api"' });
    return z.NEVER;
  }
  return trimmed;
});

const quarantinePrefix = z.string().transform((value, ctx) => {
  const prefix = `${value.replace(/^\/+|\/+$/g, "")}/`;
  const problem = prefix === "/" ? "must not be empty" : s3KeyProblem(`${prefix}x`);
  if (problem) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return prefix;
});

const isLogger = (value: unknown): value is Logger =>
  isObject(value) && isFunction(value.child) && isFunction(value.info) && isFunction(value.error);

const logger = oneOf(
  isLogger,
  z.custom<Logger>(isLogger),
  z.strictObject({
    level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  }),
);

const limits = z.strictObject({
  maxBodyBytes: size
    .refine((n) => n >= 1024 && n <= 64 * 1024 * 1024, { error: "must be from 1 KB to 64 MB" })
    .optional(),
});

export const configSchema = z
  .strictObject({
    mode: z.enum(["production", "dev"]).optional(),
    storage,
    ledger: ledger.optional(),
    auth: authSchema.optional(),
    routes: z.record(z.string(), routeSchema),
    cors: cors.optional(),
    basePath: basePath.optional(),
    trustProxy: z.boolean().optional(),
    quarantinePrefix: quarantinePrefix.optional(),
    sweep: z
      .union([
        z.literal(false),
        z.strictObject({
          grace: duration.optional(),
          interval: z
            .union([z.literal(false), duration])
            .refine((ms) => ms === false || ms >= 1000, { error: "must be at least 1 second (or false)" })
            .optional(),
        }),
      ])
      .optional(),
    logger: logger.optional(),
    limits: limits.optional(),
  })
  .superRefine((config, ctx) => {
    const problem = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const names = Object.keys(config.routes);
    if (names.length === 0) problem(["routes"], "declare at least one route");
    for (const name of names) {
      if (!ROUTE_NAME.test(name)) {
        problem(
          ["routes", name],
          'a route name must be 1 to 63 lower-case letters, digits or "-", starting with a letter or digit',
        );
      }
      if (config.routes[name]!.strategy === "post" && config.storage.supportsPost === false) {
        problem(
          ["routes", name, "strategy"],
          'is "post", but the storage is configured without POST uploads (supportsPost: false)',
        );
      }
    }
    const needAuth = names.filter((name) => !config.routes[name]!.public);
    if (config.auth === undefined && needAuth.length > 0) {
      problem(
        ["auth"],
        `is required: route${needAuth.length === 1 ? "" : "s"} ${needAuth.map((n) => `"${n}"`).join(", ")} ${needAuth.length === 1 ? "is" : "are"} not public`,
      );
    }
    if (typeof config.auth === "object" && config.auth.dev !== undefined && config.mode !== "dev") {
      problem(["auth", "dev"], 'is accepted only with mode: "dev" (dev tokens are refused outside dev mode)');
    }
    if (config.cors?.origins === "*" && config.cors.credentials) {
      problem(
        ["cors", "credentials"],
        'cannot be true with origins "*": list the origins that may send credentials',
      );
    }
  });

export type ParsedConfig = z.output<typeof configSchema>;
