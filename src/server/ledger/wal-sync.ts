import { closeSync, fdatasync, openSync } from "node:fs";
import { resolve } from "node:path";
import type { SyncCommits } from "./group-commit.js";

export interface WalSync {
  /** fdatasync of the database's WAL file, on libuv's thread pool. */
  sync: SyncCommits;
  close(): void;
}

/**
 * Syncs a WAL-mode database's commits without blocking the event loop. With synchronous=NORMAL
 * SQLite writes each commit to the WAL and syncs it only around checkpoints; syncing the WAL after
 * the commits, before anyone is told they happened, gives synchronous=FULL's guarantee (a reported
 * commit survives a power cut) while the disk works on another thread.
 */
export function walSync(databasePath: string): WalSync {
  // Resolved now: SQLite opened the file relative to the current directory, which may change.
  const walPath = `${resolve(databasePath)}-wal`;
  let fd: number | undefined;
  return {
    sync(done) {
      try {
        // Opened on first use: SQLite creates the WAL with the first write. It keeps the file (and so
        // this descriptor's inode) while its connection is open; a checkpoint rewrites it in place.
        fd ??= openSync(walPath, "r");
      } catch (error) {
        done(error as Error);
        return;
      }
      fdatasync(fd, done);
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
