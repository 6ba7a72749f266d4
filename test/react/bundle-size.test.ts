/**
 * What upgate/react adds to a browser bundle over upgate/client: each bundled from source with
 * esbuild (minified, react external, as an app that has react anyway), gzipped. The budget is
 * 5 KB; the figures are printed. test/package measures the same from the packed tarball.
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { expect, it } from "vitest";
import { projectRoot } from "../support/cli.js";

const BUDGET_GZ = 5 * 1024;

async function bundle(entry: string): Promise<{ bytes: number; gz: number; inputs: string[] }> {
  const result = await build({
    stdin: { contents: entry, resolveDir: projectRoot, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external: ["react", "react-dom"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const bytes = result.outputFiles[0]!.contents;
  return { bytes: bytes.length, gz: gzipSync(bytes).length, inputs: Object.keys(result.metafile.inputs) };
}

it("upgate/react adds at most 5 KB gzipped over upgate/client, and bundles nothing but client, core and itself", async () => {
  const client = await bundle('export * from "./src/client/index.ts";');
  const both = await bundle('export * from "./src/client/index.ts";\nexport * from "./src/react/index.ts";');
  const added = both.gz - client.gz;
  console.log(
    [
      "browser bundles (esbuild, minified, react external):",
      `  upgate/client                 ${(client.bytes / 1024).toFixed(1)} KB, ${(client.gz / 1024).toFixed(1)} KB gzipped`,
      `  upgate/client + upgate/react  ${(both.bytes / 1024).toFixed(1)} KB, ${(both.gz / 1024).toFixed(1)} KB gzipped`,
      `  upgate/react adds             ${((both.bytes - client.bytes) / 1024).toFixed(1)} KB, ${(added / 1024).toFixed(1)} KB gzipped (budget 5 KB)`,
    ].join("\n"),
  );
  expect(both.inputs.filter((p) => !/^(<stdin>|src\/(client|core|react)\/)/.test(p))).toEqual([]);
  expect(added).toBeGreaterThan(0);
  expect(added).toBeLessThanOrEqual(BUDGET_GZ);
});
