/**
 * An example app (examples/<name>) built with esbuild into a fresh folder and served by the dev
 * stack (`upgate dev`'s store, gateway and page server, on port 0) with the example's routes.
 * Shared by the React and Uppy example tests.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildExample, EXAMPLES } from "../../../examples/build.js";
import { startDevStack } from "../../../src/cli/dev-stack.js";
import type { RouteConfig } from "../../../src/server/index.js";
import type { TestStack } from "../../browser/support/stack.js";
import { logStore } from "../../browser/support/store-log.js";

export interface ExampleStack extends TestStack {
  /** The bundle's size in bytes (main.js, minified). */
  bundleBytes: number;
}

/** The routes of examples/<name>/upgate.config.ts (what `upgate dev --config` would load). */
export async function exampleRoutes(name: string): Promise<Record<string, RouteConfig>> {
  const module = (await import(pathToFileURL(join(EXAMPLES, name, "upgate.config.ts")).href)) as {
    default: { routes: Record<string, RouteConfig> };
  };
  return module.default.routes;
}

export async function startExampleStack(name: string): Promise<ExampleStack> {
  const dir = await mkdtemp(join(tmpdir(), `upgate-example-${name}-`));
  const [built, routes] = await Promise.all([buildExample(name, join(dir, "web")), exampleRoutes(name)]);
  const stack = await startDevStack({
    port: 0,
    storePort: 0,
    host: "127.0.0.1",
    dataDir: join(dir, "state"),
    webDir: built.dir,
    routes,
    logLevel: "silent",
    sweep: { interval: false },
  });
  return {
    ...stack,
    dir,
    bundleBytes: built.bytes,
    log: logStore(stack.store),
    async close() {
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
