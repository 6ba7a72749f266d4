import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { upload } from "../../../test/integ/ledger/race-support.js";
import { createSqliteLedger } from "./sqlite.js";
import type { Ledger } from "./types.js";

// The bounds docs/server.md states, restated rather than imported: the test checks the values too.
const WAL_AUTOCHECKPOINT_PAGES = 10_000;
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

const PAGE = 4096;
/** A WAL frame: a 24-byte header and the page. */
const FRAME = PAGE + 24;
const BATCH = 64;
const USERS = 500;

describe("the SQLite ledger's WAL stays bounded", () => {
  let dir = "";
  let path = "";
  let ledger: Ledger;
  let next = 0;
  const size = (file: string) => statSync(file).size;
  const wal = () => size(`${path}-wal`);

  /** One group commit of BATCH reservations, spread over USERS users as the gateway's load is. */
  const commitBatch = async () => {
    const now = new Date();
    await Promise.all(
      Array.from({ length: BATCH }, () => {
        const user = `user-${next++ % USERS}`;
        return ledger.reserve([upload(user, "images", 10)], {
          userId: user,
          route: "images",
          limit: { files: 1_000_000 },
          now,
        });
      }),
    );
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-wal-size-"));
    path = join(dir, "ledger.db");
    ledger = createSqliteLedger(path);
    await ledger.migrate();
    next = 0;
  });
  afterEach(async () => {
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`checkpoints once the WAL holds ${WAL_AUTOCHECKPOINT_PAGES} pages, then reuses the file from its start`, async () => {
    const dbBefore = size(path);
    let batches = 0;
    // Until a checkpoint has copied pages into the database file (at most three times the bound).
    while (size(path) === dbBefore && wal() < 3 * WAL_AUTOCHECKPOINT_PAGES * FRAME) {
      await commitBatch();
      batches++;
    }
    const grown = wal();
    // Not before the bound (SQLite's default is 1,000 pages) ...
    expect(grown).toBeGreaterThanOrEqual(WAL_AUTOCHECKPOINT_PAGES * FRAME);
    // ... and at it: at most one batch's pages past it.
    expect(grown).toBeLessThan((WAL_AUTOCHECKPOINT_PAGES + BATCH * 16) * FRAME);
    expect(size(path)).toBeGreaterThan(dbBefore);
    // As many commits again: the WAL restarted after the checkpoint, so the file did not double.
    for (let i = 0; i < batches; i++) await commitBatch();
    expect(wal()).toBeLessThan((WAL_AUTOCHECKPOINT_PAGES + BATCH * 16) * FRAME);
  }, 60_000);

  it(`a WAL that grew past ${WAL_SIZE_LIMIT_BYTES / 1024 / 1024} MiB while a reader held back checkpoints shrinks back to it`, async () => {
    const walInode = () => statSync(`${path}-wal`).ino;
    await commitBatch();
    const inode = walInode();
    // Another process's read transaction: checkpoints cannot copy past its snapshot, nor restart the WAL.
    const reader = new Database(path, { readonly: true });
    try {
      reader.exec("BEGIN");
      reader.prepare("SELECT COUNT(*) FROM uploads").get();
      while (wal() <= WAL_SIZE_LIMIT_BYTES) await commitBatch();
      reader.exec("COMMIT");
    } finally {
      reader.close();
    }
    // The next checkpoint copies everything; the write after it restarts the WAL and truncates the file.
    for (let i = 0; i < 20 && wal() > WAL_SIZE_LIMIT_BYTES; i++) await commitBatch();
    expect(wal()).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    // Truncated in place: the descriptor the group commit syncs (wal-sync.ts) is still the WAL's.
    expect(walInode()).toBe(inode);
    expect(await ledger.usage("user-0", "images", undefined, new Date())).toMatchObject({
      files: Math.ceil(next / USERS),
    });
  }, 60_000);
});
