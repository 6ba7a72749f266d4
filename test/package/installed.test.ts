/**
 * The package as a user gets it. `npm pack` (on a copy of the working tree: prepack builds dist and
 * the demo page) makes the tarball; a fresh project installs it with npm from the registry, first
 * without the optional drivers, then with them, and uses it there: `npx upgate dev` and the demo
 * page in Chromium, the README's Express server and browser client, `tsc` under `bundler` and
 * `node16`, an esbuild browser bundle of `upgate/client`. (publint and arethetypeswrong check the
 * tarball in `npm run check:package`, which .ci/run runs.) It prints the install time and size with and without the drivers (docs/package.md).
 *
 * Needs the npm registry. Runs everywhere; without Chromium the browser upload is skipped, saying
 * why, except in CI (CI=true), where it fails.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { build, transform } from "esbuild";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeInChromium, launchChromium } from "../browser/support/chromium.js";
import { pngImage } from "../browser/support/files.js";
import { cardStatus, openDemo, signIn } from "../browser/support/page.js";
import { PNG_1X1 } from "../integ/storage/support.js";
import { projectRoot } from "../support/cli.js";
import { titledBlocks } from "../support/published.js";
import { type StoreFixture, startStore } from "../support/store-fixture.js";
import {
  brokenLinks,
  cleanEnv,
  jsonLine,
  mb,
  type Ran,
  run,
  seconds,
  stageWorkingTree,
  start,
  stop,
  treeSize,
  why,
} from "./support.js";

const MINUTE = 60_000;
// The uploader with SHA-256, the CRC-64/NVME and CRC-32C hashers and their Worker pool, resume and the type table.
const BUNDLE_LIMIT_GZ = 24 * 1024;
const REACT_LAYER_LIMIT_GZ = 5 * 1024;
const DRIVERS = ["better-sqlite3@12", "pg@8"];
const JWT_SECRET = "package-test-jwt-secret-0123456789abcdef";

let root: string;
let tarball: string;
/** package-relative paths of every file in the tarball. */
let packed: Set<string>;
let app: string;
/** The installs measured with an empty npm cache, as a new user's machine has. */
const figures: Record<string, { ms: number; bytes: number; packages: number }> = {};

const npm = (args: string[], timeoutMs = 4 * MINUTE, env = cleanEnv()) =>
  run("npm", args, { cwd: app, env, timeoutMs });
const npx = (args: string[], env?: NodeJS.ProcessEnv) =>
  run("npx", args, { cwd: app, env: cleanEnv(env), timeoutMs: MINUTE });

async function measure(label: string, ran: Ran): Promise<void> {
  expect(ran.code, why(ran)).toBe(0);
  const lock = JSON.parse(await readFile(join(app, "node_modules/.package-lock.json"), "utf8"));
  figures[label] = {
    ms: ran.ms,
    bytes: await treeSize(join(app, "node_modules")),
    packages: Object.keys(lock.packages).length,
  };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "upgate-package-"));
  const source = join(root, "source");
  await stageWorkingTree(source);
  const pack = await run("npm", ["pack", "--pack-destination", root], {
    cwd: source,
    env: cleanEnv(),
    timeoutMs: 3 * MINUTE,
  });
  expect(pack.code, why(pack)).toBe(0);
  const name = pack.stdout.trim().split("\n").at(-1)!;
  expect(name).toMatch(/^upgate-.+\.tgz$/);
  tarball = join(root, name);
  const listing = await run("tar", ["-tzf", tarball], { cwd: root });
  packed = new Set(
    listing.stdout
      .split("\n")
      .filter(Boolean)
      .map((p) => p.replace(/^package\//, "")),
  );
  await rm(source, { recursive: true, force: true });

  app = join(root, "app");
  await mkdir(app);
  await writeFile(
    join(app, "package.json"),
    `${JSON.stringify({ name: "upgate-consumer", version: "1.0.0", private: true, type: "module" }, null, 2)}\n`,
  );
}, 4 * MINUTE);

afterAll(async () => {
  if (Object.keys(figures).length > 0) {
    await mkdir(join(projectRoot, "test-results"), { recursive: true });
    await writeFile(
      join(projectRoot, "test-results/package-install.json"),
      `${JSON.stringify(figures, null, 2)}\n`,
    );
  }
  if (root) await rm(root, { recursive: true, force: true });
});

describe("the packed tarball", { timeout: 3 * MINUTE }, () => {
  it("holds the bin, the built demo page, the docs and everything their links point at", async () => {
    for (const file of [
      "package.json",
      "README.md",
      "CHANGELOG.md",
      "dist/cli/main.js",
      "dist/core/sigv4/index.js",
      "dist/client/index.js",
      "dist/client/index.d.ts",
      "dist/react/index.js",
      "dist/react/index.d.ts",
      "dist/uppy/index.js",
      "dist/uppy/index.d.ts",
      "web/dist/index.html",
      "web/dist/main.js",
      "web/dist/styles.css",
      "web/dist/favicon.svg",
      "docs/README.md",
      "docs/cli.md",
    ]) {
      expect(packed, file).toContain(file);
    }
    expect([...packed].filter((f) => /(^|\/)(src|test)\//.test(f) && !f.startsWith("docs/"))).toEqual([]);
    const broken: string[] = [];
    const unpacked = await run("tar", ["-xzf", tarball, "-C", root], { cwd: root });
    expect(unpacked.code, why(unpacked)).toBe(0);
    for (const doc of [...packed].filter((f) => f.endsWith(".md"))) {
      broken.push(...brokenLinks(await readFile(join(root, "package", doc), "utf8"), doc, packed));
    }
    expect(broken).toEqual([]);
    expect(await readFile(join(root, "package/dist/cli/main.js"), "utf8")).toMatch(
      /^#!\/usr\/bin\/env node\n/,
    );
  });
});

describe("installed without the optional drivers", { timeout: 3 * MINUTE }, () => {
  beforeAll(async () => {
    await measure("upgate alone", await npm(["install", tarball, "--cache", join(root, "cache")]));
  }, 4 * MINUTE);

  it("has neither better-sqlite3 nor pg, and every entry point without an optional peer loads, from CommonJS too (require(esm))", async () => {
    const lock = JSON.parse(await readFile(join(app, "node_modules/.package-lock.json"), "utf8"));
    expect(Object.keys(lock.packages)).not.toContain("node_modules/better-sqlite3");
    expect(Object.keys(lock.packages)).not.toContain("node_modules/pg");
    const manifest = JSON.parse(await readFile(join(projectRoot, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    // upgate/react and upgate/uppy need their optional peer (react, @uppy/core), which this app does
    // not have: each fails with its one line, checked below.
    const needsPeer = new Set(["upgate/react", "upgate/uppy"]);
    const entries = Object.keys(manifest.exports)
      .filter((key) => key !== "./package.json")
      .map((key) => (key === "." ? "upgate" : `upgate/${key.slice(2)}`))
      .filter((entry) => !needsPeer.has(entry));
    expect(entries).toContain("upgate/sigv4");
    expect(entries).toContain("upgate/client");
    const esm = await run(
      process.execPath,
      ["--input-type=module", "-e", `for (const e of ${JSON.stringify(entries)}) await import(e);`],
      { cwd: app },
    );
    expect(esm.code, why(esm)).toBe(0);
    const cjs = await run(
      process.execPath,
      [
        "--input-type=commonjs",
        "-e",
        `const { createGateway } = require("upgate/server"); if (typeof createGateway !== "function") process.exit(3);`,
      ],
      { cwd: app },
    );
    expect(cjs.code, why(cjs)).toBe(0);
    // upgate/react without react (an optional peer): one line naming it.
    const react = await run(
      process.execPath,
      ["--input-type=module", "-e", `await import("upgate/react").catch((e) => console.log(e.message));`],
      { cwd: app },
    );
    expect([react.code, react.stdout]).toEqual([0, "upgate/react needs react: npm install react@19\n"]);
    // upgate/uppy without @uppy/core (an optional peer): one line naming it.
    const uppy = await run(
      process.execPath,
      ["--input-type=module", "-e", `await import("upgate/uppy").catch((e) => console.log(e.message));`],
      { cwd: app },
    );
    expect([uppy.code, uppy.stdout]).toEqual([0, "upgate/uppy needs @uppy/core: npm install @uppy/core@6\n"]);
  });

  it("a command whose ledger needs a missing driver stops at start with one line naming it", async () => {
    const config = (ledger: string) =>
      JSON.stringify({
        storage: { endpoint: "http://127.0.0.1:1", bucket: "uploads", forcePathStyle: true },
        ledger,
        logger: { level: "silent" },
        routes: { images: { types: ["image/png"], maxSize: "1MB" } },
      });
    await writeFile(join(app, "sqlite.config.json"), config("sqlite:./data/ledger.db"));
    await writeFile(join(app, "postgres.config.json"), config("postgres://upgate@127.0.0.1:1/upgate"));
    const env = {
      UPGATE_STORAGE_ACCESS_KEY: "AKIDEXAMPLE",
      UPGATE_STORAGE_SECRET_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      UPGATE_JWT_SECRET: JWT_SECRET,
    };
    const [sqlite, postgres, dev] = await Promise.all([
      npx(["upgate", "serve", "--config", "sqlite.config.json", "--port", "0"], env),
      npx(["upgate", "serve", "--config", "postgres.config.json", "--port", "0"], env),
      npx(["upgate", "dev", "--port", "0", "--store-port", "0", "--log-level", "silent"]),
    ]);
    expect([sqlite.code, sqlite.stderr]).toEqual([
      1,
      "upgate serve: the SQLite ledger needs better-sqlite3: npm install better-sqlite3@12\n",
    ]);
    expect([postgres.code, postgres.stderr]).toEqual([
      1,
      "upgate serve: the Postgres ledger needs pg: npm install pg@8\n",
    ]);
    expect([dev.code, dev.stdout, dev.stderr]).toEqual([
      1,
      "",
      "upgate dev: the SQLite ledger needs better-sqlite3: npm install better-sqlite3@12\n",
    ]);
  });

  it("bundles upgate/client for browsers with esbuild: no Node built-ins, under 24 KB gzipped", async () => {
    await writeFile(join(app, "client-entry.js"), 'export * from "upgate/client";\n');
    const builtins = builtinModules.flatMap((m) => [m, `${m}/*`, `node:${m}`, `node:${m}/*`]);
    const result = await build({
      entryPoints: [join(app, "client-entry.js")],
      absWorkingDir: app,
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      external: builtins,
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports);
    expect(imports.filter((i) => i.external).map((i) => i.path)).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs).filter((path) => path !== "client-entry.js");
    expect(inputs.filter((path) => !/^node_modules\/upgate\/dist\/(client|core)\//.test(path))).toEqual([]);
    const bytes = result.outputFiles[0]!.contents;
    const gz = gzipSync(bytes).length;
    console.log(
      `upgate/client browser bundle (esbuild, minified): ${(bytes.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped`,
    );
    expect(gz).toBeLessThan(BUNDLE_LIMIT_GZ);

    // upgate/react over upgate/client, react left to the app (test/react/bundle-size.test.ts measures the sources).
    await writeFile(
      join(app, "react-entry.js"),
      'export * from "upgate/client";\nexport * from "upgate/react";\n',
    );
    const withReact = await build({
      entryPoints: [join(app, "react-entry.js")],
      absWorkingDir: app,
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      external: ["react"],
      write: false,
      logLevel: "silent",
    });
    const added = gzipSync(withReact.outputFiles[0]!.contents).length - gz;
    console.log(`upgate/react adds ${(added / 1024).toFixed(1)} KB gzipped over upgate/client (budget 5 KB)`);
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThanOrEqual(REACT_LAYER_LIMIT_GZ);
  });
});

describe("installed with the drivers", { timeout: 3 * MINUTE }, () => {
  beforeAll(async () => {
    await measure(
      "upgate with better-sqlite3 and pg",
      await npm(["install", ...DRIVERS, "--cache", join(root, "cache")], 6 * MINUTE),
    );
    const alone = figures["upgate alone"]!;
    const both = figures["upgate with better-sqlite3 and pg"]!;
    console.log(
      [
        "install figures (npm install into a fresh project, empty npm cache):",
        `  npm install <upgate tarball>           ${seconds(alone.ms)}, node_modules ${mb(alone.bytes)}, ${alone.packages} packages`,
        `  then npm install ${DRIVERS.join(" ")}   +${seconds(both.ms)}, node_modules ${mb(both.bytes)}, ${both.packages} packages`,
      ].join("\n"),
    );
  }, 7 * MINUTE);

  describe("npx upgate dev", () => {
    let dev: ReturnType<typeof start>;
    let gatewayUrl: string;

    beforeAll(async () => {
      dev = start(
        "npx",
        ["upgate", "dev", "--port", "0", "--store-port", "0", "--json", "--log-level", "warn"],
        app,
      );
      ({ gatewayUrl } = await jsonLine<{ gatewayUrl: string }>(dev, "gatewayUrl", MINUTE));
    }, 2 * MINUTE);

    afterAll(async () => {
      if (dev) await stop(dev, "SIGINT");
    });

    it("serves the demo page from the installed package, whatever the working folder", async () => {
      const page = await fetch(gatewayUrl);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await page.text()).toContain("main.js");
      expect((await fetch(`${gatewayUrl}/main.js`)).status).toBe(200);
    });

    describeInChromium("the demo page in Chromium", () => {
      it("uploads a PNG that ends verified", async () => {
        const browser = await launchChromium();
        try {
          const { page, errors } = await openDemo(browser, { gatewayUrl });
          await signIn(page, "ada");
          await page.setInputFiles("#picker", {
            name: "installed.png",
            mimeType: "image/png",
            buffer: pngImage(32, 24),
          });
          await expect
            .poll(() => cardStatus(page, "installed.png").textContent(), { timeout: 30_000 })
            .toBe("Uploaded and verified");
          expect(errors).toEqual([]);
        } finally {
          await browser.close();
        }
      });
    });
  });

  describe("the README's server.ts and browser.ts, as an app would use them", () => {
    let store: StoreFixture;
    let server: ReturnType<typeof start> | undefined;

    beforeAll(async () => {
      const tools = await npm(
        [
          "install",
          "--save-dev",
          "--prefer-offline",
          "typescript@5",
          "@types/node@20",
          "express@5",
          "@types/express@5",
        ],
        3 * MINUTE,
      );
      expect(tools.code, why(tools)).toBe(0);
      // The blocks exactly as the installed README shows them.
      const blocks = titledBlocks(await readFile(join(app, "node_modules/upgate/README.md"), "utf8"));
      for (const name of ["server.ts", "browser.ts"]) {
        const [code] = blocks.get(name) ?? [];
        expect(code, `README block ${name}`).toBeDefined();
        await writeFile(join(app, name), code!);
        const js = await transform(code!, { loader: "ts", format: "esm", target: "es2022" });
        await writeFile(join(app, name.replace(/\.ts$/, ".js")), js.code);
      }
      store = await startStore();
    }, 4 * MINUTE);

    afterAll(async () => {
      if (server) await stop(server, "SIGTERM");
      await store?.close();
    });

    it("type-check with tsc --noEmit under moduleResolution bundler and node16, with every entry point", async () => {
      await writeFile(
        join(app, "every-entry-point.ts"),
        `import { ERROR_CODES, UpgateError } from "upgate";
import { createUploader, type UploadRecord } from "upgate/client";
import { toNodeHandler } from "upgate/node";
import { createGateway, defineConfig, type Gateway } from "upgate/server";
import { presignUrl, type PresignedRequest } from "upgate/sigv4";
import { createObjectStore, type ObjectStore } from "upgate/store";

export const error: UpgateError = new UpgateError("VALIDATION_FAILED", "not valid");
export const codes: string[] = Object.keys(ERROR_CODES);
export const api = { createUploader, toNodeHandler, createGateway, defineConfig, createObjectStore, presignUrl };
export type Used = [UploadRecord, Gateway, ObjectStore, PresignedRequest];
`,
      );
      const files = ["every-entry-point.ts", "server.ts", "browser.ts"];
      const config = (module: string, moduleResolution: string) => ({
        compilerOptions: {
          module,
          moduleResolution,
          target: "es2022",
          lib: ["es2022", "dom"],
          types: ["node"],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files,
      });
      await writeFile(
        join(app, "tsconfig.bundler.json"),
        JSON.stringify(config("esnext", "bundler"), null, 2),
      );
      await writeFile(join(app, "tsconfig.node16.json"), JSON.stringify(config("node16", "node16"), null, 2));
      const tsc = join(app, "node_modules/typescript/bin/tsc");
      const [bundler, node16] = await Promise.all(
        ["tsconfig.bundler.json", "tsconfig.node16.json"].map((p) =>
          run(process.execPath, [tsc, "--noEmit", "-p", p], { cwd: app, timeoutMs: 2 * MINUTE }),
        ),
      );
      expect(bundler!.code, why(bundler!)).toBe(0);
      expect(node16!.code, why(node16!)).toBe(0);
    });

    it("complete an upload: the Express server on the installed package, the client in Node", async () => {
      const port = await freePort();
      server = start(process.execPath, ["server.js"], app, {
        ...cleanEnv(),
        S3_ENDPOINT: store.url,
        S3_REGION: store.region,
        S3_BUCKET: store.bucket,
        S3_ACCESS_KEY_ID: store.credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: store.credentials.secretAccessKey,
        JWT_SECRET,
        PORT: String(port),
      });
      const origin = `http://127.0.0.1:${port}`;
      await expect
        .poll(
          () =>
            fetch(`${origin}/healthz`).then(
              (r) => r.status,
              () => 0,
            ),
          { timeout: 30_000 },
        )
        .toBe(200);

      const token = await new SignJWT({})
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("ada")
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(JWT_SECRET));
      await writeFile(
        join(app, "upload.js"),
        `import { imageUploader } from "./browser.js";
const [origin, token, png] = process.argv.slice(2);
const upload = imageUploader(origin, async () => token);
const file = new File([Buffer.from(png, "base64")], "dot.png", { type: "image/png" });
console.log(JSON.stringify(await upload([file], (line) => console.error(line))));
`,
      );
      const client = await run(
        process.execPath,
        ["upload.js", origin, token, Buffer.from(PNG_1X1).toString("base64")],
        { cwd: app },
      );
      expect(client.code, why(client)).toBe(0);
      const [record] = JSON.parse(client.stdout) as Array<{ key: string; status: string; size: number }>;
      expect(record).toMatchObject({ status: "verified", size: PNG_1X1.length });
      const stored = await store.s3.send(new GetObjectCommand({ Bucket: store.bucket, Key: record!.key }));
      expect(Buffer.from(await stored.Body!.transformToByteArray())).toEqual(Buffer.from(PNG_1X1));
    });
  });
});

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}
