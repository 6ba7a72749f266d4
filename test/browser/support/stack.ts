/** The dev stack (store and gateway on two ports of 127.0.0.1) in a fresh folder, with the page built. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DevStack, type DevStackOptions, startDevStack } from "../../../src/cli/dev-stack.js";
import { buildWeb } from "../../../web/build.js";
import { logStore, type StoreLog } from "./store-log.js";

export interface TestStack extends DevStack {
  /** A scratch folder for test files, removed by close(). */
  dir: string;
  log: StoreLog;
}

export async function startTestStack(options: Partial<DevStackOptions> = {}): Promise<TestStack> {
  const dir = await mkdtemp(join(tmpdir(), "upgate-browser-"));
  const webDir = await buildWeb(join(dir, "web"));
  const stack = await startDevStack({
    port: 0,
    storePort: 0,
    host: "127.0.0.1",
    dataDir: join(dir, "state"),
    webDir,
    logLevel: "silent",
    ...options,
  });
  return {
    ...stack,
    dir,
    log: logStore(stack.store),
    async close() {
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
