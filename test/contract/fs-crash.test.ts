import { cp, mkdir, open, readdir, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { openFsBackend, useTempDir, walk } from "./fs-support.js";
import { attributesFor, BUCKET, md5Etag, patternBytes, putCommitted, readBody } from "./support.js";

/** The prototype of node's FileHandle, to inject faults into every file write or sync. */
async function fileHandlePrototype(path: string): Promise<object> {
  const handle = await open(path, "w");
  const prototype = Object.getPrototypeOf(handle) as object;
  await handle.close();
  return prototype;
}

const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });

describe("fs backend crash leftovers", () => {
  const dirs = useTempDir();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test("init clears unfinished writes and junk in tmp/, and keeps every committed object", async () => {
    const crashed = await openFsBackend(dirs.dataDir);
    await crashed.createBucket(BUCKET);
    const kept = patternBytes(300_000, 1);
    await putCommitted(crashed, "keep", kept);
    await putCommitted(crashed, "overwritten", "old");
    const unfinished = await crashed.stageObject(BUCKET, "overwritten");
    await unfinished!.write(Buffer.from("new bytes never committed"));
    const neverCommitted = await crashed.stageObject(BUCKET, "new");
    await neverCommitted!.write(patternBytes(100_000));
    const upload = await crashed.createMultipartUpload(BUCKET, "mp", attributesFor(Buffer.alloc(0)));
    const part = await crashed.stagePart(upload, 1);
    await part.write(Buffer.from("staged part"));
    const tmp = join(dirs.dataDir, "tmp");
    await writeFile(join(tmp, "junk-file"), "junk");
    await mkdir(join(tmp, "half-removed-tree", "objects"), { recursive: true });
    await writeFile(join(tmp, "half-removed-tree", "objects", "x"), "x");
    expect((await readdir(tmp)).length).toBeGreaterThanOrEqual(5);
    // The process dies here: no close(), no abort().

    const restarted = await openFsBackend(dirs.dataDir);
    expect(await readdir(tmp)).toEqual([]);
    expect((await readBody(restarted, "keep"))?.equals(kept)).toBe(true);
    expect((await readBody(restarted, "overwritten"))?.toString()).toBe("old");
    expect(await restarted.headObject(BUCKET, "new")).toBeUndefined();
    expect((await restarted.listObjects(BUCKET, { limit: 10 })).objects.map((o) => o.key)).toEqual([
      "keep",
      "overwritten",
    ]);
    expect(await restarted.getMultipartUpload(BUCKET, "mp", upload.uploadId)).toEqual(upload);
    expect(await restarted.listParts(upload)).toEqual([]);
  });

  test("a crash between a complete's commit and the removal of its upload: init finishes the removal", async () => {
    const crashed = await openFsBackend(dirs.dataDir);
    await crashed.createBucket(BUCKET);
    const upload = await crashed.createMultipartUpload(BUCKET, "mp", attributesFor(Buffer.alloc(0)));
    const part = await crashed.stagePart(upload, 1);
    await part.write(Buffer.from("whole"));
    const info = await part.commit({ etag: md5Etag(Buffer.from("whole")), checksums: {} });
    const uploadDir = join(dirs.dataDir, "buckets", BUCKET, "uploads", upload.uploadId);
    const saved = join(dirs.parent, "saved-upload");
    await cp(uploadDir, saved, { recursive: true });
    const meta = await crashed.completeMultipartUpload(upload, [{ partNumber: 1, etag: info.etag }], '"w-1"');
    await cp(saved, uploadDir, { recursive: true });

    const restarted = await openFsBackend(dirs.dataDir);
    expect(await restarted.headObject(BUCKET, "mp")).toEqual(meta);
    expect((await readBody(restarted, "mp"))?.toString()).toBe("whole");
    expect(await restarted.listMultipartUploads(BUCKET)).toEqual([]);
    expect(await readdir(join(dirs.dataDir, "buckets", BUCKET, "uploads"))).toEqual([]);
  });

  test("a damaged object file stops init instead of being dropped", async () => {
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    await putCommitted(backend, "victim", patternBytes(10_000));
    const file = (await walk(dirs.dataDir)).find((path) => /objects\/..\/[0-9a-f]{64}$/.test(path))!;
    await truncate(join(dirs.dataDir, file), 5_000);
    await expect(openFsBackend(dirs.dataDir)).rejects.toThrow(/corrupt store file/);
  });

  test("a stray entry in the buckets directory stops init", async () => {
    await openFsBackend(dirs.dataDir);
    await mkdir(join(dirs.dataDir, "buckets", "Not_A_Bucket"));
    await expect(openFsBackend(dirs.dataDir)).rejects.toThrow(/unexpected entry/);
  });
});

describe("fs backend write failures", () => {
  const dirs = useTempDir();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test("ENOSPC while writing surfaces from write() and commit(); nothing is committed", async () => {
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    await putCommitted(backend, "k", "previous");
    const prototype = await fileHandlePrototype(join(dirs.parent, "probe"));

    const staged = await backend.stageObject(BUCKET, "k");
    await staged!.write(Buffer.from("some "));
    const write = vi
      .spyOn(prototype as { write: () => Promise<unknown> }, "write")
      .mockRejectedValue(enospc());
    await expect(staged!.write(Buffer.from("more"))).rejects.toMatchObject({ code: "ENOSPC" });
    write.mockRestore();
    await staged!.abort();

    const second = await backend.stageObject(BUCKET, "k");
    await second!.write(Buffer.from("replacement"));
    vi.spyOn(prototype as { write: () => Promise<unknown> }, "write").mockRejectedValue(enospc());
    await expect(second!.commit(attributesFor(Buffer.from("replacement")))).rejects.toMatchObject({
      code: "ENOSPC",
    });
    vi.restoreAllMocks();
    await second!.abort();

    expect((await readBody(backend, "k"))?.toString()).toBe("previous");
    expect(await readdir(join(dirs.dataDir, "tmp"))).toEqual([]);
    const reopened = await openFsBackend(dirs.dataDir);
    expect((await readBody(reopened, "k"))?.toString()).toBe("previous");
  });

  test("a failed fsync fails the commit and leaves the previous object", async () => {
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    await putCommitted(backend, "k", "previous");
    const prototype = await fileHandlePrototype(join(dirs.parent, "probe"));
    vi.spyOn(prototype as { sync: () => Promise<void> }, "sync").mockRejectedValue(
      Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" }),
    );
    await expect(putCommitted(backend, "k", "replacement")).rejects.toMatchObject({ code: "EIO" });
    vi.restoreAllMocks();
    expect((await readBody(backend, "k"))?.toString()).toBe("previous");
    expect(await readdir(join(dirs.dataDir, "tmp"))).toEqual([]);
  });

  test("durability fsync syncs data and directories before a commit returns; none never syncs", async () => {
    const prototype = await fileHandlePrototype(join(dirs.parent, "probe"));
    const durable = await openFsBackend(join(dirs.parent, "durable"), "fsync");
    await durable.createBucket(BUCKET);
    const sync = vi.spyOn(prototype as { sync: () => Promise<void> }, "sync");
    await putCommitted(durable, "k", "bytes");
    // The object file, and the directory it was renamed into (plus its parent, the first time).
    expect(sync.mock.calls.length).toBeGreaterThanOrEqual(2);

    const fast = await openFsBackend(join(dirs.parent, "fast"), "none");
    await fast.createBucket(BUCKET);
    sync.mockClear();
    await putCommitted(fast, "k", "bytes");
    await fast.deleteObject(BUCKET, "k");
    expect(sync).not.toHaveBeenCalled();
    expect((await stat(join(dirs.parent, "fast", "buckets", BUCKET))).isDirectory()).toBe(true);
  });
});
