/**
 * `npm run check:package`: packs the package once (prepack builds dist/ and the demo page) and
 * checks the tarball a user would install with publint (strict) and arethetypeswrong (the ESM-only
 * profile: node16 from ESM and bundler resolution of every entry point, with types; node10 and
 * require() from CommonJS are left out, as an ESM-only package does not serve them).
 * Exits non-zero when either reports a problem. `.ci/run` runs it with the Biome and type checks.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = mkdtempSync(join(tmpdir(), "upgate-check-package-"));

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, {
    cwd: root,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.stdout.write(result.stdout ?? "");
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
  }
  return result.stdout;
}

let failed = false;
try {
  const packed = run("npm", ["pack", "--silent", "--pack-destination", out]);
  const tarball = join(out, packed.trim().split("\n").at(-1)!);
  console.log(`\npublint ${tarball}`);
  try {
    run("npx", ["--no-install", "publint", "run", tarball, "--strict"]);
  } catch (error) {
    console.error((error as Error).message);
    failed = true;
  }
  console.log(`\narethetypeswrong ${tarball}`);
  try {
    run("npx", ["--no-install", "attw", tarball, "--profile", "esm-only", "--format", "table-flipped"], {
      ...process.env,
      FORCE_COLOR: "0",
    });
  } catch (error) {
    console.error((error as Error).message);
    failed = true;
  }
} catch (error) {
  console.error((error as Error).message);
  failed = true;
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (failed) {
  console.error("check:package: the packed tarball has problems (see above)");
  process.exit(1);
}
console.log("check:package: publint and arethetypeswrong found no problem");
