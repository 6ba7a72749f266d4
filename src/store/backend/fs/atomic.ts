import type { FileHandle } from "node:fs/promises";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Durability } from "../types.js";

/** fsync of files and directories, or nothing at all for throwaway data. */
export class Durable {
  readonly enabled: boolean;

  constructor(durability: Durability) {
    this.enabled = durability === "fsync";
  }

  async syncFile(handle: FileHandle): Promise<void> {
    if (this.enabled) await handle.sync();
  }

  /** Makes the directory's entries (files created, renamed in or removed) survive power loss. */
  async syncDir(path: string): Promise<void> {
    if (!this.enabled) return;
    const handle = await open(path, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

export function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

/** Writes a whole (small) file durably under a name that does not exist yet. */
async function writeNewFile(path: string, data: Uint8Array, durable: Durable): Promise<void> {
  const handle = await open(path, "wx");
  try {
    await handle.writeFile(data);
    await durable.syncFile(handle);
  } finally {
    await handle.close();
  }
}

/** Replaces `path` with `data` in one rename: readers and crashes see the old file or the new one. */
export async function replaceFile(
  path: string,
  data: Uint8Array,
  tmpPath: string,
  durable: Durable,
): Promise<void> {
  await writeNewFile(tmpPath, data, durable);
  try {
    await rename(tmpPath, path);
  } catch (error) {
    await rm(tmpPath, { force: true });
    throw error;
  }
  await durable.syncDir(dirname(path));
}

/**
 * Creates directory `path` with these files and empty subdirectories, all at once: it is built in
 * tmp/ and renamed into place. Returns false if `path` already exists.
 */
export async function createDirWith(
  path: string,
  contents: { files: Record<string, Uint8Array>; dirs: string[] },
  tmpPath: string,
  durable: Durable,
): Promise<boolean> {
  await mkdir(tmpPath);
  try {
    for (const dir of contents.dirs) await mkdir(join(tmpPath, dir));
    for (const [name, data] of Object.entries(contents.files))
      await writeNewFile(join(tmpPath, name), data, durable);
    await durable.syncDir(tmpPath);
    await rename(tmpPath, path);
  } catch (error) {
    await rm(tmpPath, { recursive: true, force: true });
    if (isErrno(error, "ENOTEMPTY") || isErrno(error, "EEXIST")) return false;
    throw error;
  }
  await durable.syncDir(dirname(path));
  return true;
}

/**
 * Removes a directory tree: one rename into tmp/ is the commit point (a crash after it leaves junk
 * that init() clears, never half a tree in place). Returns false if `path` did not exist.
 */
export async function removeTree(path: string, tmpPath: string, durable: Durable): Promise<boolean> {
  try {
    await rename(path, tmpPath);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return false;
    throw error;
  }
  await durable.syncDir(dirname(path));
  // A file renamed into the tree just before it moved can make rmdir report ENOTEMPTY once: retry.
  await rm(tmpPath, { recursive: true, force: true, maxRetries: 3 });
  return true;
}

/** Creates directories on first use, durably (the parent is synced), once per path. */
export class DirMaker {
  readonly #made = new Map<string, Promise<void>>();

  constructor(readonly durable: Durable) {}

  /** Records a directory known to exist (found at init). */
  known(path: string): void {
    this.#made.set(path, Promise.resolve());
  }

  ensure(path: string): Promise<void> {
    let made = this.#made.get(path);
    if (!made) {
      made = this.#make(path);
      this.#made.set(path, made);
      made.catch(() => this.#made.delete(path));
    }
    return made;
  }

  async #make(path: string): Promise<void> {
    try {
      await mkdir(path);
    } catch (error) {
      if (!isErrno(error, "EEXIST")) throw error;
      // Left by an earlier run that may have crashed before syncing the parent: sync it now.
    }
    await this.durable.syncDir(dirname(path));
  }
}
