import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEnvironment } from "./env.js";
import { loadConfigFile } from "./load-file.js";
import { literalSecrets } from "./secrets.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "upgate-cli-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("literal secrets", () => {
  const config = {
    storage: { credentials: { accessKeyId: "AKID", secretAccessKey: "s3cr3t" } },
    auth: { jwt: { secret: "jwt-secret" }, apiKeys: { "key-one-0123456789": "ada" } },
    routes: { images: { webhook: { url: "https://h.example", secret: "hook-secret" } } },
    ledger: "postgres://app:pw@db/upgate",
  };

  it("names every secret written into the file, never its value", () => {
    expect(literalSecrets(config, {})).toEqual([
      "storage.credentials.secretAccessKey",
      "auth.jwt.secret",
      "auth.apiKeys (key #1)",
      "routes.images.webhook.secret",
      "ledger (a Postgres URL with a password)",
    ]);
  });

  it("accepts secrets a config read from the environment", () => {
    const env = {
      A: "s3cr3t",
      B: "jwt-secret",
      C: "key-one-0123456789",
      D: "hook-secret",
      E: "postgres://app:pw@db/upgate",
    };
    expect(literalSecrets(config, env)).toEqual([]);
    expect(
      literalSecrets(
        { ledger: "postgres://db/upgate", storage: { credentials: { accessKeyId: "AKID" } } },
        {},
      ),
    ).toEqual([]);
  });
});

describe("UPGATE_* variables", () => {
  it("override the file, fill what it lacks, and leave the rest", () => {
    const out = applyEnvironment(
      {
        storage: {
          endpoint: "https://file",
          bucket: "file-bucket",
          credentials: { accessKeyId: "file-key" },
        },
        routes: { x: {} },
      },
      {
        UPGATE_STORAGE_BUCKET: "env-bucket",
        UPGATE_STORAGE_SECRET_KEY: "env-secret",
        UPGATE_STORAGE_PATH_STYLE: "true",
        UPGATE_LEDGER: "sqlite:/tmp/l.db",
        UPGATE_JWT_SECRET: "env-jwt",
      },
    );
    expect(out).toEqual({
      storage: {
        endpoint: "https://file",
        bucket: "env-bucket",
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "file-key", secretAccessKey: "env-secret" },
      },
      ledger: "sqlite:/tmp/l.db",
      auth: { jwt: { secret: "env-jwt" } },
      routes: { x: {} },
    });
    expect(() => applyEnvironment({}, { UPGATE_STORAGE_PATH_STYLE: "maybe" })).toThrow(
      /must be true or false/,
    );
  });

  it('give the storage the AWS default chain ("aws") when neither they nor the file hold keys', () => {
    const storage = (raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
      (applyEnvironment({ storage: raw }, env).storage as { credentials: unknown }).credentials;
    expect(storage({ endpoint: "https://s3" })).toBe("aws");
    expect(storage({}, { UPGATE_STORAGE_ACCESS_KEY: "k", UPGATE_STORAGE_SECRET_KEY: "s" })).toEqual({
      accessKeyId: "k",
      secretAccessKey: "s",
    });
    const provider = async () => ({ accessKeyId: "p", secretAccessKey: "q" });
    expect(storage({ credentials: provider })).toBe(provider);
    expect(storage({ credentials: "aws" }, { UPGATE_STORAGE_ACCESS_KEY: "k" })).toEqual({ accessKeyId: "k" });
  });
});

describe("config files", () => {
  it("loads .json, .mjs and .ts (through tsx), default or named export", async () => {
    const want = { routes: { a: { types: ["image/png"], maxSize: "1MB" } } };
    await writeFile(join(dir, "c.json"), JSON.stringify(want));
    await writeFile(join(dir, "c.mjs"), `export const config = ${JSON.stringify(want)};`);
    await writeFile(
      join(dir, "c.ts"),
      `const size: string = "1MB";\nexport default { routes: { a: { types: ["image/png"], maxSize: size } } };`,
    );
    for (const name of ["c.json", "c.mjs", "c.ts"])
      expect(await loadConfigFile(join(dir, name))).toEqual(want);
  });

  it("refuses what is not a config, with a one-line reason", async () => {
    await writeFile(join(dir, "list.json"), "[1]");
    await writeFile(join(dir, "broken.json"), "{");
    await expect(loadConfigFile(join(dir, "list.json"))).rejects.toThrow(/must export an object/);
    await expect(loadConfigFile(join(dir, "broken.json"))).rejects.toThrow(
      /^cannot load config .*broken\.json: /,
    );
    await expect(loadConfigFile(join(dir, "none.json"))).rejects.toThrow(/none\.json: no such file$/);
    await expect(loadConfigFile(join(dir, "c.yaml"))).rejects.toThrow(
      /use a \.ts, \.mts, \.mjs, \.js or \.json file/,
    );
  });
});
