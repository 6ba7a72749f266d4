import { access, readFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError } from "../cli-error.js";

/** Config files looked for in the working directory when --config is not given, in this order. */
export const CONFIG_FILE_NAMES = [
  "upgate.config.ts",
  "upgate.config.mts",
  "upgate.config.mjs",
  "upgate.config.js",
  "upgate.config.json",
] as const;

const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);
const JAVASCRIPT = new Set([".js", ".mjs", ".cjs"]);

/** The first upgate.config.* in `dir`, or undefined. */
export async function findConfigFile(dir: string): Promise<string | undefined> {
  for (const name of CONFIG_FILE_NAMES) {
    const path = resolve(dir, name);
    if (
      await access(path).then(
        () => true,
        () => false,
      )
    )
      return path;
  }
  return undefined;
}

/** Imports a TypeScript module with tsx's loader (a dev dependency: absent from a production install). */
async function importTypeScript(url: string): Promise<Record<string, unknown>> {
  let api: { tsImport: (specifier: string, parent: string) => Promise<Record<string, unknown>> };
  try {
    api = (await import("tsx/esm/api")) as typeof api;
  } catch {
    throw new CliError(
      "loading a TypeScript config needs tsx (npm install tsx); or write the config as .mjs, .js or .json",
    );
  }
  return api.tsImport(url, import.meta.url);
}

async function importModule(path: string): Promise<unknown> {
  const url = pathToFileURL(path).href;
  const module = TYPESCRIPT.has(extname(path))
    ? await importTypeScript(url)
    : ((await import(url)) as Record<string, unknown>);
  const value = (module.default ?? module.config) as Record<string, unknown> | undefined;
  // A .ts file outside an ESM package loads as CommonJS: its exports arrive wrapped in `default`.
  if (
    value &&
    typeof value === "object" &&
    "default" in value &&
    !("routes" in value) &&
    !("storage" in value)
  ) {
    return value.default;
  }
  return value;
}

/**
 * The config object a file exports: `export default defineConfig({...})` (or `export const config`)
 * from .ts/.mts (through tsx), .mjs/.js, or a .json document.
 */
export async function loadConfigFile(file: string): Promise<Record<string, unknown>> {
  const path = resolve(file);
  const ext = extname(path);
  if (!TYPESCRIPT.has(ext) && !JAVASCRIPT.has(ext) && ext !== ".json") {
    throw new CliError(`config ${file}: use a .ts, .mts, .mjs, .js or .json file`);
  }
  let value: unknown;
  try {
    value = ext === ".json" ? JSON.parse(await readFile(path, "utf8")) : await importModule(path);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    throw new CliError(`cannot load config ${file}: ${reason.split("\n")[0]}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError(`config ${file} must export an object (export default defineConfig({ ... }))`);
  }
  return value as Record<string, unknown>;
}
