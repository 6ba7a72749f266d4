/**
 * The store in a child process that tests kill with SIGKILL. The child is test/support/store-child.ts,
 * bundled once with esbuild: crash tests start the store 50+ times.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  bundleEntry,
  type KillableChild,
  NODE_REQUIRE_BANNER,
  startKillableChild,
} from "../../support/child-process.js";

export { killAllChildren } from "../../support/child-process.js";

const CHILD_SOURCE = fileURLToPath(new URL("../../support/store-child.ts", import.meta.url));
const START_TIMEOUT_MS = 20_000;

/** Bundles the child entry into `outDir` (dependencies included) and returns the script's path. */
export function bundleStoreChild(outDir: string): Promise<string> {
  return bundleEntry(CHILD_SOURCE, join(outDir, "store-child.mjs"), { banner: NODE_REQUIRE_BANNER });
}

export interface ChildOptions {
  script: string;
  dataDir: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export type StoreChild = Pick<KillableChild, "url" | "killed" | "kill">;

/** Starts the store on `dataDir` (fsync durability) and waits until it prints its URL. */
export function startStoreChild(o: ChildOptions): Promise<StoreChild> {
  return startKillableChild({
    label: "store child",
    script: o.script,
    args: [o.dataDir, o.bucket, "fsync"],
    env: {
      UPGATE_STORE_ACCESS_KEY: o.credentials.accessKeyId,
      UPGATE_STORE_SECRET_KEY: o.credentials.secretAccessKey,
    },
    startTimeoutMs: START_TIMEOUT_MS,
  });
}
