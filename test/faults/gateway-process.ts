/**
 * The gateway in a child process (gateway-child.ts) that tests kill with SIGKILL, bundled once like
 * the store's crash tests (test/support/child-process.ts). The native and driver packages stay
 * external, so the bundle is written inside the repository's node_modules/.cache, where they resolve.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEntry, type KillableChild, startKillableChild } from "../support/child-process.js";
import type { ChildConfig } from "./gateway-config.js";

const CHILD_SOURCE = fileURLToPath(new URL("./gateway-child.ts", import.meta.url));
const CACHE_DIR = fileURLToPath(new URL("../../node_modules/.cache/upgate-faults/", import.meta.url));
const START_TIMEOUT_MS = 20_000;

/** Bundles the gateway child and returns the script's path. */
export async function bundleGatewayChild(): Promise<string> {
  const dir = join(CACHE_DIR, String(process.pid));
  await mkdir(dir, { recursive: true });
  return bundleEntry(CHILD_SOURCE, join(dir, "gateway-child.mjs"), { packages: "external" });
}

export interface GatewayChild extends Pick<KillableChild, "url" | "killed" | "kill"> {
  /** Asks the child to sweep as of `nowMs`; resolves with its counts once every page is done. */
  sweep(nowMs: number, limit: number): Promise<Record<string, number>>;
}

export async function startGatewayChild(script: string, config: ChildConfig): Promise<GatewayChild> {
  const child = await startKillableChild({
    label: "gateway child",
    script,
    env: { UPGATE_FAULT_GATEWAY: JSON.stringify(config) },
    stdin: true,
    startTimeoutMs: START_TIMEOUT_MS,
  });
  return {
    url: child.url,
    get killed() {
      return child.killed;
    },
    kill: () => child.kill(),
    async sweep(nowMs, limit) {
      child.process.stdin!.write(`sweep ${JSON.stringify({ nowMs, limit })}\n`);
      return (JSON.parse(await child.nextLine(60_000, "sweep")) as { swept: Record<string, number> }).swept;
    },
  };
}
