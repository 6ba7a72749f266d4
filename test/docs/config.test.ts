/**
 * docs/config.md's option tables against the schema: every option is documented, every documented
 * option exists, and every default the tables state is the one resolveConfig applies.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { parseDuration } from "../../src/core/util/duration.js";
import { parseSize } from "../../src/core/util/sizes.js";
import { authObject } from "../../src/server/config/auth-schema.js";
import { resolveConfig } from "../../src/server/config/resolve.js";
import type { ResolvedConfig } from "../../src/server/config/resolved.js";
import { routeSchema } from "../../src/server/config/route-schema.js";
import { configSchema } from "../../src/server/config/schema.js";
import type { UpgateConfig } from "../../src/server/config/types.js";
import { projectRoot } from "../support/cli.js";

interface Row {
  option: string;
  default: string;
}

/** The `| Option | Default | Meaning |` rows under each `## ` heading whose first cell is one `name` or `a.b`. */
function tables(markdown: string): Map<string, Row[]> {
  const sections = new Map<string, Row[]>();
  let section = "";
  let inTable = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("## ")) section = line.slice(3).trim();
    if (line.startsWith("| Option | Default |")) inTable = true;
    else if (!line.startsWith("|")) inTable = false;
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const option = /^`([A-Za-z]+(\.[A-Za-z]+)?)`$/.exec(cells[1] ?? "")?.[1];
    if (inTable && option !== undefined) {
      sections.set(section, [...(sections.get(section) ?? []), { option, default: cells[2] ?? "" }]);
    }
  }
  return sections;
}

type Shape = Record<string, z.ZodType>;

/** The object shape a schema describes, through optional and the object member of a union. */
function shapeOf(schema: z.ZodType): Shape | undefined {
  const def = (schema as { def: { type: string } }).def;
  if (def.type === "object") return (schema as unknown as z.ZodObject).shape as Shape;
  if (def.type === "optional") return shapeOf((schema as unknown as z.ZodOptional).unwrap() as z.ZodType);
  if (def.type === "union") {
    for (const option of (schema as unknown as z.ZodUnion).options) {
      const shape = shapeOf(option as z.ZodType);
      if (shape) return shape;
    }
  }
  return undefined;
}

/**
 * Options as the tables name them: `key`, and `key.sub` for every option of an object documented
 * by its parts (such an object may have a row of its own too, as `sweep` has for `sweep: false`).
 */
function optionPaths(shape: Shape, documented: ReadonlySet<string>): string[] {
  return Object.entries(shape).flatMap(([key, schema]) => {
    const inner = shapeOf(schema);
    if (inner === undefined) return [key];
    const byParts = [...documented].some((option) => option.startsWith(`${key}.`));
    const parts = Object.keys(inner).map((sub) => `${key}.${sub}`);
    if (!byParts) return [key];
    return documented.has(key) ? [key, ...parts] : parts;
  });
}

const SECTIONS: Record<string, Shape> = {
  "Top level": configSchema.shape as Shape,
  storage: shapeOf(configSchema.shape.storage as z.ZodType)!,
  auth: authObject.shape as Shape,
  routes: routeSchema.shape as Shape,
  cors: shapeOf(configSchema.shape.cors as z.ZodType)!,
};

const STORAGE = {
  endpoint: "http://127.0.0.1:9000",
  region: "us-east-1",
  bucket: "b",
  credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
};
const base: UpgateConfig = {
  storage: STORAGE,
  auth: { jwt: { jwksUrl: "http://localhost:8080/jwks.json" } },
  routes: { r: { types: ["image/png"], maxSize: 1000 } },
  cors: { origins: "*" },
  logger: { level: "silent" },
};
const dev: UpgateConfig = {
  ...base,
  mode: "dev",
  auth: { dev: { secret: "d".repeat(32) } },
};

const seconds = (text: string) => parseDuration(JSON.parse(text)) / 1000;
const literal = (text: string): unknown => JSON.parse(text);
const route = (c: ResolvedConfig) => c.routes.get("r")!;

/** How each documented default reads in the resolved config, and how the doc's value converts to it. */
const DEFAULTS: Record<
  string,
  { read: (c: ResolvedConfig) => unknown; doc: (text: string) => unknown; config?: UpgateConfig }
> = {
  "Top level/mode": { read: (c) => c.mode, doc: literal },
  "Top level/ledger": {
    read: (c) => c.ledger,
    doc: (text) => ({ kind: "sqlite", path: (literal(text) as string).slice("sqlite:".length) }),
  },
  "Top level/basePath": { read: (c) => c.basePath, doc: literal },
  "Top level/trustProxy": { read: (c) => c.trustProxy, doc: literal },
  "Top level/sweep.grace": { read: (c) => c.sweep.graceMs, doc: (t) => parseDuration(literal(t) as string) },
  "Top level/sweep.interval": {
    read: (c) => c.sweep.intervalMs,
    doc: (t) => parseDuration(literal(t) as string),
  },
  "Top level/limits.maxBodyBytes": {
    read: (c) => c.limits.maxBodyBytes,
    doc: (t) => parseSize(literal(t) as string),
  },
  "storage/forcePathStyle": { read: (c) => c.storage.forcePathStyle, doc: literal },
  "storage/supportsPost": { read: (c) => c.storage.supportsPost, doc: literal },
  "auth/jwt.algorithms": {
    read: (c) => (c.auth.jwt?.kind === "jwks" ? c.auth.jwt.algorithms : undefined),
    doc: literal,
  },
  "auth/jwt.clockTolerance": { read: (c) => c.auth.jwt?.clockToleranceSeconds, doc: seconds },
  "auth/jwt.maxAge": { read: (c) => c.auth.jwt?.maxAgeSeconds, doc: seconds },
  "auth/dev.expiresIn": { read: (c) => c.auth.dev?.expiresInSeconds, doc: seconds, config: dev },
  "routes/minSize": { read: (c) => route(c).policy.minSize, doc: (t) => parseSize(literal(t) as number) },
  "routes/maxFiles": { read: (c) => route(c).policy.maxFiles, doc: literal },
  "routes/expiresIn": { read: (c) => route(c).policy.expiresIn, doc: seconds },
  "routes/checksum": { read: (c) => route(c).policy.checksum, doc: literal },
  "routes/strategy": { read: (c) => route(c).policy.strategy, doc: literal },
  "routes/multipartThreshold": {
    read: (c) => route(c).policy.multipartThreshold,
    doc: (t) => parseSize(literal(t) as string),
  },
  "routes/partSize": { read: (c) => route(c).policy.partSize, doc: (t) => parseSize(literal(t) as string) },
  "routes/sniff": { read: (c) => route(c).policy.sniff, doc: literal },
  "routes/public": { read: (c) => route(c).policy.public, doc: literal },
  "routes/key": { read: (c) => route(c).policy.keyTemplate, doc: literal },
  "cors/credentials": { read: (c) => c.cors?.credentials, doc: literal },
  "cors/maxAge": { read: (c) => c.cors?.maxAgeSeconds, doc: seconds },
};

const doc = tables(await readFile(join(projectRoot, "docs", "config.md"), "utf8"));

describe("docs/config.md", () => {
  it.each(Object.keys(SECTIONS))("documents every option of %s, and only those", (section) => {
    const rows = doc.get(section) ?? [];
    const documented = new Set(rows.map((r) => r.option));
    expect([...documented].sort()).toEqual(optionPaths(SECTIONS[section]!, documented).sort());
  });

  it("states the defaults resolveConfig applies", () => {
    const stated: string[] = [];
    for (const [section, rows] of doc) {
      for (const row of rows) {
        // A default written as one value (`"5m"`, `10`, `false`); prose defaults ("off", "none") are not values.
        const value = /^`([^`]+)`/.exec(row.default)?.[1];
        if (value === undefined) continue;
        const id = `${section}/${row.option}`;
        stated.push(id);
        const check = DEFAULTS[id];
        expect(check, `${id}: no check for its documented default ${value}`).toBeDefined();
        const resolved = resolveConfig(check!.config ?? base);
        expect(check!.read(resolved), `${id}: documented default ${value}`).toEqual(check!.doc(value));
      }
    }
    expect(stated.sort()).toEqual(Object.keys(DEFAULTS).sort());
  });
});
