import { randomBytes } from "node:crypto";
import { mkdtemp, open, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { Durable } from "./atomic.js";
import { TempFile } from "./temp.js";
import { readTrailer } from "./trailer.js";

const MIB = 1024 * 1024;

describe("TempFile", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-temp-file-"));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  /** The prototype of node's FileHandle (not exported), to watch datasync(). */
  async function fileHandleProto(): Promise<{ datasync(): Promise<void> }> {
    const probe = await open(join(dir, "probe"), "w");
    await probe.close();
    return Object.getPrototypeOf(probe);
  }

  async function writeChunks(temp: TempFile, chunks: Buffer[]) {
    for (const chunk of chunks) await temp.write(chunk);
  }

  test("with fsync, a large file starts flushing while it is written, and ends whole", async () => {
    const datasync = vi.spyOn(await fileHandleProto(), "datasync");
    const chunks = Array.from({ length: 70 }, () => randomBytes(MIB));
    const temp = await TempFile.create(join(dir, "big"), new Durable("fsync"));
    await writeChunks(temp, chunks);
    expect(datasync.mock.calls.length, "background syncs before finish").toBeGreaterThanOrEqual(1);
    await temp.finish({ note: "record" }, new Durable("fsync"));
    const handle = await open(join(dir, "big"), "r");
    const { record, dataSize } = await readTrailer(handle, "big");
    await handle.close();
    expect(record).toEqual({ note: "record" });
    expect(dataSize).toBe(70 * MIB);
    expect((await readFile(join(dir, "big"))).subarray(0, dataSize).equals(Buffer.concat(chunks))).toBe(true);
  });

  test("without fsync, nothing is synced", async () => {
    const datasync = vi.spyOn(await fileHandleProto(), "datasync");
    const temp = await TempFile.create(join(dir, "big"), new Durable("none"));
    await writeChunks(
      temp,
      Array.from({ length: 40 }, () => randomBytes(MIB)),
    );
    await temp.finish({}, new Durable("none"));
    expect(datasync).not.toHaveBeenCalled();
  });

  test("a failed background sync fails finish() with its error, and discard() still cleans up", async () => {
    const eio = Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" });
    vi.spyOn(await fileHandleProto(), "datasync").mockRejectedValue(eio);
    const temp = await TempFile.create(join(dir, "big"), new Durable("fsync"));
    await writeChunks(
      temp,
      Array.from({ length: 40 }, () => randomBytes(MIB)),
    );
    await expect(temp.finish({}, new Durable("fsync"))).rejects.toBe(eio);
    await temp.discard();
    expect((await readdir(dir)).sort()).toEqual(["probe"]);
  });
});
