import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { createFsBackend } from "../../src/store/backend/fs/backend.js";
import type { Durability, StorageBackend } from "../../src/store/backend/types.js";

/** A fresh temp directory per test, removed afterwards; dataDir is a child, so escapes can be seen. */
export function useTempDir(): { readonly parent: string; readonly dataDir: string } {
  let parent: string | undefined;
  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), "upgate-fs-"));
  });
  afterEach(async () => {
    if (parent) await rm(parent, { recursive: true, force: true });
    parent = undefined;
  });
  return {
    get parent() {
      if (!parent) throw new Error("no temp dir outside a test");
      return parent;
    },
    get dataDir() {
      return join(this.parent, "data");
    },
  };
}

export async function openFsBackend(
  dataDir: string,
  durability: Durability = "fsync",
): Promise<StorageBackend> {
  const backend = createFsBackend({ dataDir, durability });
  await backend.init();
  return backend;
}

/** Every path under `dir` (files and directories), relative to it, sorted. */
export async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map((entry) => relative(dir, join(dir, entry))).sort();
}
