import { mkdir, readdir, rm, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { keyHash } from "../../src/store/backend/fs/layout.js";
import { objectRecordJson } from "../../src/store/backend/fs/records.js";
import { encodeTrailer } from "../../src/store/backend/fs/trailer.js";
import type { ObjectMeta, StorageBackend } from "../../src/store/backend/types.js";
import { openFsBackend, useTempDir, walk } from "./fs-support.js";
import {
  attributesFor,
  BUCKET,
  patternBytes,
  plan,
  putCommitted,
  readAll,
  readBody,
  uploadPart,
} from "./support.js";

const partBytes = (sizes: number[], seed: number) =>
  sizes.map((size, i) => patternBytes(size, seed * 100 + i));

/** Uploads `sizes` as parts 1..n of a multipart upload of `key`; returns the upload, its plan and the bytes. */
async function uploadParts(backend: StorageBackend, key: string, sizes: number[], seed = 0) {
  const upload = await backend.createMultipartUpload(BUCKET, key, attributesFor(Buffer.alloc(0)));
  const chunks = partBytes(sizes, seed);
  const parts = [];
  for (const [i, bytes] of chunks.entries()) parts.push(await uploadPart(backend, upload, i + 1, bytes));
  return { upload, plan: plan(parts), bytes: Buffer.concat(chunks) };
}

async function completeParts(backend: StorageBackend, key: string, sizes: number[], seed = 0) {
  const { upload, plan, bytes } = await uploadParts(backend, key, sizes, seed);
  const meta = await backend.completeMultipartUpload(upload, plan, `"mp-${seed}-${sizes.length}"`);
  if (typeof meta === "string") throw new Error(meta);
  return { meta: meta as ObjectMeta, bytes };
}

describe("fs backend multipart objects keep their parts (no copy on complete)", () => {
  const dirs = useTempDir();
  const blobsDir = () => join(dirs.dataDir, "buckets", BUCKET, "blobs");
  const blobs = async () => readdir(blobsDir()).catch(() => []);
  const objectFile = async () =>
    (await walk(dirs.dataDir)).find((path) => /objects\/..\/[0-9a-f]{64}$/.test(path))!;

  test("complete links the parts: the object file holds only its record, and every range reads right", async () => {
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    const sizes = [300_000, 300_000, 1, 0, 123_457];
    const { meta, bytes } = await completeParts(backend, "mp", sizes);
    expect(meta.size).toBe(bytes.length);
    expect((await stat(join(dirs.dataDir, await objectFile()))).size).toBeLessThan(1024);
    const [blob] = await blobs();
    expect(await readdir(join(blobsDir(), blob!))).toEqual([
      "00001.part",
      "00002.part",
      "00003.part",
      "00004.part",
      "00005.part",
    ]);
    expect(await readdir(join(dirs.dataDir, "buckets", BUCKET, "uploads"))).toEqual([]);

    expect((await readBody(backend, "mp"))?.equals(bytes)).toBe(true);
    const boundaries = [0, 299_999, 300_000, 599_999, 600_000, 600_001, bytes.length - 1];
    const ranges = boundaries.flatMap((start) =>
      boundaries.filter((end) => end >= start).map((end) => ({ start, end })),
    );
    for (const range of ranges) {
      const read = await backend.readObject(BUCKET, "mp", range);
      const body = await readAll(read!.body);
      expect(body.equals(bytes.subarray(range.start, range.end + 1)), JSON.stringify(range)).toBe(true);
    }

    // Part sizes (reads by partNumber) and the completed upload (a repeated Complete) survive a restart.
    expect(meta.partSizes).toEqual(sizes);
    expect(meta.completedUpload).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    const reopened = await openFsBackend(dirs.dataDir);
    expect(await reopened.headObject(BUCKET, "mp")).toEqual(meta);
    expect((await readBody(reopened, "mp"))?.equals(bytes)).toBe(true);
  });

  test("parts left out of the plan or uploaded twice: the object holds exactly the planned versions", async () => {
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    const { upload, plan, bytes } = await uploadParts(backend, "mp", [1000, 2000, 3000]);
    const again = await backend.stagePart(upload, 2);
    await again.write(Buffer.from("a later upload of part 2"));
    const replaced = await again.commit({ etag: '"later"', checksums: {} });
    expect(
      await backend
        .completeMultipartUpload(upload, [plan[0]!, plan[1]!], '"x-2"')
        .catch((e: { code: string }) => e.code),
    ).toBe("InvalidPart");
    const meta = await backend.completeMultipartUpload(
      upload,
      [plan[0]!, { partNumber: 2, etag: replaced.etag }],
      '"x-2"',
    );
    expect(typeof meta).toBe("object");
    expect((await readBody(backend, "mp"))?.toString("latin1")).toBe(
      Buffer.concat([bytes.subarray(0, 1000), Buffer.from("a later upload of part 2")]).toString("latin1"),
    );
    expect(await blobs()).toHaveLength(1);
  });

  test("a refused complete leaves no blob and the upload as it was", async () => {
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    await putCommitted(backend, "mp", "already here");
    const { upload, plan } = await uploadParts(backend, "mp", [5000, 10]);
    const refused = await backend.completeMultipartUpload(upload, plan, '"mp-2"', { ifNoneMatch: "*" });
    expect(refused).toBe("precondition-failed");
    expect(await blobs()).toEqual([]);
    expect(await backend.listParts(upload)).toHaveLength(2);
    expect((await readBody(backend, "mp"))?.toString()).toBe("already here");
  });

  test("overwriting or deleting a multipart object removes its parts", async () => {
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    await completeParts(backend, "a", [4000, 4000], 1);
    await completeParts(backend, "b", [4000, 4000], 2);
    const [first, second] = [(await blobs())[0]!, (await blobs())[1]!];
    expect(await blobs()).toHaveLength(2);
    await putCommitted(backend, "a", "small now");
    await completeParts(backend, "b", [10, 20, 30], 3);
    const left = await blobs();
    expect(left).toHaveLength(1);
    expect([first, second]).not.toContain(left[0]);
    expect(await backend.deleteObject(BUCKET, "b")).toBe(true);
    expect(await blobs()).toEqual([]);
    expect((await readBody(backend, "a"))?.toString()).toBe("small now");
  });

  test("a read that started keeps its version across an overwrite and a delete; the parts go when it ends", async () => {
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    const { bytes: old } = await completeParts(backend, "mp", [700_000, 700_000], 4);
    const [oldBlob] = await blobs();
    const reading = await backend.readObject(BUCKET, "mp");
    const ranged = await backend.readObject(BUCKET, "mp", { start: 699_000, end: 701_000 });
    const { bytes: newer } = await completeParts(backend, "mp", [50_000, 60_000], 5);
    expect(await blobs()).toContain(oldBlob);
    expect((await readBody(backend, "mp"))?.equals(newer)).toBe(true);
    expect(await backend.deleteObject(BUCKET, "mp")).toBe(true);

    expect((await readAll(reading!.body)).equals(old)).toBe(true);
    expect(await blobs()).toEqual([oldBlob]);
    expect((await readAll(ranged!.body)).equals(old.subarray(699_000, 701_001))).toBe(true);
    await expect.poll(blobs).toEqual([]);
  });

  test("a read cut off before it starts lets go of the parts", async () => {
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    await completeParts(backend, "mp", [10_000, 10_000], 6);
    const reading = await backend.readObject(BUCKET, "mp");
    await backend.deleteObject(BUCKET, "mp");
    expect(await blobs()).toHaveLength(1);
    reading!.body.destroy();
    await expect.poll(blobs).toEqual([]);
  });

  test("reads racing overwrites always see one whole version", async () => {
    const backend = await openFsBackend(dirs.dataDir, "none");
    await backend.createBucket(BUCKET);
    const versions = new Map<string, Buffer>();
    const first = await completeParts(backend, "hot", [30_000, 20_000], 0);
    versions.set(first.meta.etag, first.bytes);
    let writing = true;
    const writer = (async () => {
      for (let round = 1; round <= 40; round++) {
        const sizes = [30_000 + round, 20_000];
        // Known before the complete: a reader may see the new version before it returns.
        versions.set(`"mp-${round}-2"`, Buffer.concat(partBytes(sizes, round)));
        await completeParts(backend, "hot", sizes, round);
      }
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const read = await backend.readObject(BUCKET, "hot");
      const body = await readAll(read!.body);
      expect(body.equals(versions.get(read!.meta.etag)!), read!.meta.etag).toBe(true);
      reads++;
    }
    await writer;
    expect(reads).toBeGreaterThan(10);
    await expect.poll(blobs).toHaveLength(1);
  });

  test("a multipart object stored whole by an earlier version still loads, reads, and is replaced", async () => {
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    const old = patternBytes(70_000, 9);
    const meta = {
      ...attributesFor(old),
      etag: '"legacy-2"',
      partsCount: 2,
      key: "legacy",
      size: old.length,
    };
    const record = objectRecordJson({
      meta: { ...meta, lastModified: new Date("2026-11-01T00:00:00Z") },
      completedUpload: "A".repeat(24),
    });
    const path = join(dirs.dataDir, "buckets", BUCKET, "objects", keyHash("legacy").slice(0, 2));
    await mkdir(path, { recursive: true });
    await writeFile(join(path, keyHash("legacy")), Buffer.concat([old, encodeTrailer(record)]));

    const reopened = await openFsBackend(dirs.dataDir);
    expect(await reopened.headObject(BUCKET, "legacy")).toMatchObject({
      etag: '"legacy-2"',
      size: old.length,
    });
    expect((await readBody(reopened, "legacy"))?.equals(old)).toBe(true);
    const range = await reopened.readObject(BUCKET, "legacy", { start: 10, end: 19 });
    expect((await readAll(range!.body)).equals(old.subarray(10, 20))).toBe(true);
    const { bytes } = await completeParts(reopened, "legacy", [100, 200], 10);
    expect((await readBody(reopened, "legacy"))?.equals(bytes)).toBe(true);
    expect(await blobs()).toHaveLength(1);
  });

  test("a part or a complete racing an abort is NoSuchUpload, never an internal error", async () => {
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    const outcomes = new Set<string>();
    for (let delay = 0; delay < 40; delay++) {
      const { upload, plan: planned } = await uploadParts(backend, `race-${delay}`, [1000], delay);
      const part = await backend.stagePart(upload, 2);
      await part.write(patternBytes(500, delay));
      const settle = async (work: () => Promise<unknown>) => {
        for (let i = 0; i < delay % 20; i++) await new Promise((r) => setImmediate(r));
        return work().then(
          () => "ok",
          (error: { code?: string }) => error.code ?? String(error),
        );
      };
      const racing =
        delay < 20 ? () => part.commit({ etag: '"p2"', checksums: {} }) : () => backend.listParts(upload);
      const [, raced, completed] = await Promise.all([
        backend.abortMultipartUpload(upload),
        settle(racing),
        settle(() => backend.completeMultipartUpload(upload, planned, '"c-1"')),
      ]);
      outcomes.add(String(raced)).add(String(completed));
      expect(["ok", "NoSuchUpload"], `delay ${delay}`).toContain(raced);
      expect(["ok", "NoSuchUpload"], `delay ${delay}`).toContain(completed);
    }
    expect(outcomes).toContain("NoSuchUpload");
  });

  test("init removes blobs no object names, and stops when an object's parts are missing", async () => {
    const crashed = await openFsBackend(dirs.dataDir);
    await crashed.createBucket(BUCKET);
    const { bytes } = await completeParts(crashed, "kept", [2000, 3000], 7);
    const orphan = join(blobsDir(), "0".repeat(32));
    await mkdir(orphan);
    const restarted = await openFsBackend(dirs.dataDir);
    expect(await blobs()).toHaveLength(1);
    expect((await readBody(restarted, "kept"))?.equals(bytes)).toBe(true);

    const [blob] = await blobs();
    await unlink(join(blobsDir(), blob!, "00002.part"));
    await expect((await restarted.readObject(BUCKET, "kept"))!.body.toArray()).rejects.toThrow(/ENOENT/);
    await rm(join(blobsDir(), blob!), { recursive: true });
    await expect(openFsBackend(dirs.dataDir)).rejects.toThrow(/parts of a multipart object are missing/);
  });
});
