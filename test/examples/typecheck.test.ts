/**
 * Each example type-checks with its own tsconfig (DOM, JSX and the server config's types, which
 * the root configs do not combine): `tsc -p examples/<name>/tsconfig.json`.
 */
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { projectRoot } from "../support/cli.js";

const run = promisify(execFile);
const examples = (await readdir(join(projectRoot, "examples"), { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

it.each(examples)("examples/%s type-checks", { timeout: 120_000 }, async (name) => {
  const tsc = join(projectRoot, "node_modules/typescript/bin/tsc");
  const result = await run(
    process.execPath,
    [tsc, "--noEmit", "-p", join("examples", name, "tsconfig.json")],
    {
      cwd: projectRoot,
    },
  ).then(
    () => ({ code: 0, out: "" }),
    (err: { code: number; stdout: string }) => ({ code: err.code, out: err.stdout }),
  );
  expect(result).toEqual({ code: 0, out: "" });
});
