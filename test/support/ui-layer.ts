/**
 * Shared by the UI layers' tests (upgate/react, upgate/uppy): what a layer adds to a browser bundle
 * over upgate/client, and importing a layer's sources with its optional peer hidden.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { projectRoot } from "./cli.js";

interface Bundle {
  bytes: number;
  gz: number;
  inputs: string[];
}

async function bundle(entry: string, external: string[]): Promise<Bundle> {
  const result = await build({
    stdin: { contents: entry, resolveDir: projectRoot, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const bytes = result.outputFiles[0]!.contents;
  return { bytes: bytes.length, gz: gzipSync(bytes).length, inputs: Object.keys(result.metafile.inputs) };
}

export interface LayerCost {
  /** Gzipped bytes the layer adds over upgate/client. */
  addedGz: number;
  /** Bundle inputs from outside src/client, src/core and the layer itself. */
  foreignInputs: string[];
}

/**
 * upgate/client bundled alone and with `src/<layer>` (esbuild, minified, `external` left to the app,
 * as an app that has its peer anyway), gzipped; prints the figures.
 */
export async function layerCost(
  layer: "react" | "uppy",
  external: string[],
  budgetGz: number,
): Promise<LayerCost> {
  const client = await bundle('export * from "./src/client/index.ts";', external);
  const both = await bundle(
    `export * from "./src/client/index.ts";\nexport * from "./src/${layer}/index.ts";`,
    external,
  );
  const kb = (n: number) => (n / 1024).toFixed(1);
  const row = (label: string, bytes: number, gz: number) =>
    `  ${label.padEnd(30)}${kb(bytes)} KB, ${kb(gz)} KB gzipped`;
  console.log(
    [
      `browser bundles (esbuild, minified, ${external.join(" and ")} external):`,
      row("upgate/client", client.bytes, client.gz),
      row(`upgate/client + upgate/${layer}`, both.bytes, both.gz),
      `${row(`upgate/${layer} adds`, both.bytes - client.bytes, both.gz - client.gz)} (budget ${kb(budgetGz)} KB)`,
    ].join("\n"),
  );
  const own = new RegExp(`^(<stdin>|src/(client|core|${layer})/)`);
  return { addedGz: both.gz - client.gz, foreignInputs: both.inputs.filter((p) => !own.test(p)) };
}

const run = promisify(execFile);

/**
 * Runs `probe` (an ES module body, from the project root) under tsx with `hidden` packages made
 * unresolvable (test/support/hide-packages.mjs), as in a project that did not install them; its stdout.
 */
export async function probeWithHidden(probe: string, hidden: string[]): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      join(projectRoot, "test/support/hide-packages.mjs"),
      "--input-type=module",
      "-e",
      probe,
    ],
    { cwd: projectRoot, env: { ...process.env, UPGATE_TEST_HIDE_PACKAGES: hidden.join(",") } },
  );
  return stdout;
}
