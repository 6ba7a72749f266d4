/**
 * What upgate/uppy adds to a browser bundle over upgate/client: each bundled from source with
 * esbuild (minified, @uppy/core external, as an app that has Uppy anyway), gzipped. The figures
 * are printed; the plugin stays small (under 3 KB gzipped) and bundles nothing but client, core
 * and itself.
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { expect, it } from "vitest";
import { projectRoot } from "../support/cli.js";

const BUDGET_GZ = 3 * 1024;

async function bundle(entry: string): Promise<{ bytes: number; gz: number; inputs: string[] }> {
  const result = await build({
    stdin: { contents: entry, resolveDir: projectRoot, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external: ["@uppy/core"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const bytes = result.outputFiles[0]!.contents;
  return { bytes: bytes.length, gz: gzipSync(bytes).length, inputs: Object.keys(result.metafile.inputs) };
}

it("upgate/uppy adds at most 3 KB gzipped over upgate/client, and bundles nothing but client, core and itself", async () => {
  const client = await bundle('export * from "./src/client/index.ts";');
  const both = await bundle('export * from "./src/client/index.ts";\nexport * from "./src/uppy/index.ts";');
  const added = both.gz - client.gz;
  console.log(
    [
      "browser bundles (esbuild, minified, @uppy/core external):",
      `  upgate/client                ${(client.bytes / 1024).toFixed(1)} KB, ${(client.gz / 1024).toFixed(1)} KB gzipped`,
      `  upgate/client + upgate/uppy  ${(both.bytes / 1024).toFixed(1)} KB, ${(both.gz / 1024).toFixed(1)} KB gzipped`,
      `  upgate/uppy adds             ${((both.bytes - client.bytes) / 1024).toFixed(1)} KB, ${(added / 1024).toFixed(1)} KB gzipped`,
    ].join("\n"),
  );
  expect(both.inputs.filter((p) => !/^(<stdin>|src\/(client|core|uppy)\/)/.test(p))).toEqual([]);
  expect(added).toBeGreaterThan(0);
  expect(added).toBeLessThanOrEqual(BUDGET_GZ);
});
