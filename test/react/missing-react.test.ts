/**
 * react is an optional peer dependency: importing upgate/react without it fails with one line
 * naming the package. Node runs the sources with react hidden (test/support/hide-package.mjs makes
 * Node's own resolver fail for it); the installed tarball without react is tested in test/package.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { projectRoot } from "../support/cli.js";

const run = promisify(execFile);
const PROBE = `try { await import("./src/react/index.ts"); console.log("loaded"); } catch (e) { console.log(e.message); }`;

async function importReactLayer(hidden: string | undefined): Promise<string> {
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

it("without react, importing upgate/react fails with one line naming the package", async () => {
  expect(await importReactLayer("react")).toBe("upgate/react needs react: npm install react@19\n");
});

it("with react, it loads", async () => {
  expect(await importReactLayer(undefined)).toBe("loaded\n");
});
