/**
 * The config `upgate dev` writes into its data folder: the dev stack's store and ledger with its
 * routes, so that `upgate sweep --config <it>` (or doctor) works on the running stack. Its
 * storage credentials come from the environment, as every config's do.
 */
import { writeFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { RouteConfig, UpgateConfig } from "../server/config/types.js";

export interface DevConfigInput {
  dataDir: string;
  storeUrl: string;
  region: string;
  bucket: string;
  ledger: string;
  /** The --config file whose routes the stack serves; undefined for the default routes. */
  routesFile?: string;
  /** The default routes (used without routesFile). */
  routes: Record<string, RouteConfig>;
  sweep?: UpgateConfig["sweep"];
}

const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);

/** Writes the file (replacing the last one) and returns its path. */
export async function writeDevConfig(input: DevConfigInput): Promise<string> {
  const base = {
    storage: { endpoint: input.storeUrl, region: input.region, bucket: input.bucket, forcePathStyle: true },
    ledger: input.ledger,
    ...(input.sweep !== undefined && { sweep: input.sweep }),
  };
  if (input.routesFile === undefined || extname(input.routesFile) === ".json") {
    // JSON routes (the default ones, or a JSON file's) are written out as they are.
    const file = join(input.dataDir, "upgate.config.json");
    await writeFile(file, `${JSON.stringify({ ...base, routes: input.routes }, null, 2)}\n`);
    return file;
  }
  // Routes in code (hooks, key functions) stay in their file: this module imports them.
  const typescript = TYPESCRIPT.has(extname(input.routesFile));
  const file = join(input.dataDir, typescript ? "upgate.config.mts" : "upgate.config.mjs");
  const source = `// Written by upgate dev: its store and ledger, with the routes of ${input.routesFile}.
import * as routesModule from ${JSON.stringify(pathToFileURL(input.routesFile).href)};

let config${typescript ? ": any" : ""} = routesModule.default ?? routesModule.config;
// A TypeScript file outside an ESM package loads as CommonJS, its exports wrapped in \`default\`.
if (config && "default" in config && !("routes" in config)) config = config.default;

export default {
  ...${JSON.stringify(base)},
  routes: config.routes,
};
`;
  await writeFile(file, source);
  return file;
}
