import * as fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { upload } from "../../../test/integ/ledger/race-support.js";
import { createSqliteLedger } from "./sqlite.js";
import type { Ledger } from "./types.js";

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return { ...actual, fdatasync: vi.fn(actual.fdatasync) };
});
const realFdatasync = (await vi.importActual<typeof import("node:fs")>("node:fs")).fdatasync;
const fdatasync = vi.mocked(fs.fdatasync);

type Done = (error: NodeJS.ErrnoException | null) => void;

/** Holds every fdatasync until released: what the ledger answers meanwhile is what a power cut would see. */
function holdSyncs() {
  const held: Array<{ fd: number; done: Done }> = [];
  fdatasync.mockImplementation(((fd: number, done: Done) => void held.push({ fd, done })) as never);
  return {
    held,
    release(error?: NodeJS.ErrnoException) {
      for (const { fd, done } of held.splice(0)) {
        if (error) done(error);
        else realFdatasync(fd, done);
      }
    },
  };
}

async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

const quota = (userId: string) => ({ userId, route: "images", limit: { files: 10 }, now: new Date() });

describe("the SQLite ledger syncs its WAL before it answers", () => {
  let dir = "";
  let path = "";
  let ledger: Ledger;
  beforeEach(async () => {
    fdatasync.mockImplementation(realFdatasync as never);
    dir = await mkdtemp(join(tmpdir(), "upgate-wal-sync-"));
    path = join(dir, "ledger.db");
    ledger = createSqliteLedger(path);
    await ledger.migrate();
  });
  afterEach(async () => {
    fdatasync.mockImplementation(realFdatasync as never);
    await ledger.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  it("a reservation resolves only after an fdatasync of the WAL file that began after its commit", async () => {
    const syncs = holdSyncs();
    const row = upload("alice", "images", 10);
    const reserved = ledger.reserve([row], quota("alice"));
    expect(await isSettled(reserved)).toBe(false);
    expect(syncs.held).toHaveLength(1);
    // The descriptor synced is the database's WAL, where the commit is.
    expect(fs.fstatSync(syncs.held[0]!.fd).ino).toBe(fs.statSync(`${path}-wal`).ino);
    // A read that may see the unsynced row waits for the same sync.
    const read = ledger.get(row.id);
    expect(await isSettled(read)).toBe(false);
    syncs.release();
    await expect(reserved).resolves.toEqual({ ok: true });
    expect((await read)?.status).toBe("pending");
  });

  it("a transition is reported only once synced", async () => {
    const row = upload("alice", "images", 10);
    await ledger.reserve([row], quota("alice"));
    const syncs = holdSyncs();
    const moved = ledger.transition(row.id, ["pending"], "uploaded");
    expect(await isSettled(moved)).toBe(false);
    syncs.release();
    expect((await moved)?.status).toBe("uploaded");
  });

  it("a failed fdatasync fails the reservation and every later write, never reporting them done", async () => {
    const syncs = holdSyncs();
    const row = upload("alice", "images", 10);
    const reserved = ledger.reserve([row], quota("alice"));
    await isSettled(reserved);
    syncs.release(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" }));
    await expect(reserved).rejects.toThrow(/EIO/);
    await expect(ledger.reserve([upload("alice", "images", 10)], quota("alice"))).rejects.toThrow(/EIO/);
    await expect(ledger.transition(row.id, ["pending"], "uploaded")).rejects.toThrow(/EIO/);
  });
});
