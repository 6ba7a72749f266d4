import { dirname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** This package's folder: <root>/src/cli (tsx) or <root>/dist/cli (built) is two levels down. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * How to run upgate in a command the CLI prints for pasting: `npx upgate` where upgate is an
 * installed package (under node_modules), `npm run upgate --` in a clone of upgate itself, where
 * neither the bin nor npx would find it.
 */
export function upgateCommand(packageRoot = PACKAGE_ROOT): string {
  return packageRoot.split(sep).includes("node_modules") ? "npx upgate" : "npm run upgate --";
}

/** An upgate command line to print for pasting: `upgateRun("doctor --json")` → `npx upgate doctor --json`. */
export function upgateRun(args: string, packageRoot = PACKAGE_ROOT): string {
  return `${upgateCommand(packageRoot)} ${args}`;
}
