import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DevStack, startDevStack } from "../../../src/cli/dev-stack.js";
import type { RouteConfig } from "../../../src/server/config/types.js";

export interface DevRig {
  stack: DevStack;
  dir: string;
  /** The store's credentials as the CLI reads them. */
  env: Record<string, string>;
  /** Flags that point doctor and cors at the dev stack. */
  storageFlags: string[];
  ledger: string;
  close(): Promise<void>;
}

/** The dev stack in this process on 127.0.0.1 port 0, its ledger opened and migrated. */
export async function startDevRig(routes?: Record<string, RouteConfig>): Promise<DevRig> {
  const dir = await mkdtemp(join(tmpdir(), "upgate-cli-dev-"));
  const stack = await startDevStack({
    port: 0,
    storePort: 0,
    dataDir: join(dir, "dev"),
    webDir: join(dir, "web"),
    logLevel: "silent",
    ...(routes ? { routes } : {}),
  });
  await stack.gateway.ledger.migrate();
  return {
    stack,
    dir,
    env: {
      UPGATE_STORAGE_ACCESS_KEY: stack.credentials.accessKeyId,
      UPGATE_STORAGE_SECRET_KEY: stack.credentials.secretAccessKey,
    },
    storageFlags: ["--endpoint", stack.storeUrl, "--bucket", stack.bucket],
    ledger: `sqlite:${join(dir, "dev", "ledger.db")}`,
    async close() {
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
