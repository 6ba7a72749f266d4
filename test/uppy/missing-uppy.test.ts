/**
 * @uppy/core is an optional peer dependency: importing upgate/uppy without it fails with one line
 * naming the package. Node runs the sources with @uppy/core hidden (test/support/hide-package.mjs
 * makes Node's own resolver fail for it); the installed tarball is tested in test/package.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { projectRoot } from "../support/cli.js";

const run = promisify(execFile);
const PROBE = `try { const m = await import("./src/uppy/index.ts"); console.log(typeof m.Upgate); } catch (e) { console.log(e.message); }`;

async function importUppyLayer(hidden: string | undefined): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      join(projectRoot, "test/support/hide-package.mjs"),
      "--input-type=module",
      "-e",
      PROBE,
    ],
    { cwd: projectRoot, env: { ...process.env, UPGATE_TEST_HIDDEN_PACKAGE: hidden ?? "" } },
  );
  return stdout;
}

it("without @uppy/core, importing upgate/uppy fails with one line naming the package", async () => {
  expect(await importUppyLayer("@uppy/core")).toBe(
    "upgate/uppy needs @uppy/core: npm install @uppy/core@6\n",
  );
});

it("with @uppy/core, it loads", async () => {
  expect(await importUppyLayer(undefined)).toBe("function\n");
});
