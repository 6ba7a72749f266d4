import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** ../shared beside the project (UPGATE_SHARED_DIR overrides). The vectors are read, never copied in. */
export function sharedDir(): string {
  const dir = process.env.UPGATE_SHARED_DIR ?? resolve(root, "../shared");
  if (!existsSync(resolve(dir, "sigv4-vectors"))) {
    throw new Error(`the shared reference folder was not found at ${dir} (set UPGATE_SHARED_DIR)`);
  }
  return dir;
}

export const vectorsDir = (): string => resolve(sharedDir(), "sigv4-vectors");
