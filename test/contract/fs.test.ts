import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { createFsBackend } from "../../src/store/backend/fs.js";
import type { CorsRule } from "../../src/store/backend/types.js";
import { defineBackendContract } from "./backend.contract.js";
import { openFsBackend, useTempDir } from "./fs-support.js";
import {
  attributesFor,
  BUCKET,
  byUtf8,
  listAllKeys,
  md5Etag,
  patternBytes,
  putCommitted,
  readBody,
} from "./support.js";

defineBackendContract("fs", async () => {
  const dir = await mkdtemp(join(tmpdir(), "upgate-fs-contract-"));
  return {
    backend: createFsBackend({ dataDir: dir }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

const CORS: CorsRule[] = [
  {
    allowedOrigins: ["http://localhost:5173"],
    allowedMethods: ["PUT"],
    allowedHeaders: ["*"],
    exposeHeaders: ["ETag"],
  },
];

describe("fs backend persistence", () => {
  const dirs = useTempDir();

  test("everything committed is there after close and re-open, with the listing index rebuilt", async () => {
    const first = await openFsBackend(dirs.dataDir);
    await first.createBucket(BUCKET);
    await first.createBucket("second-bucket");
    await first.setBucketCors(BUCKET, CORS);
    const keys = ["a", "b", "é", "😀", "Z", "a/b", "..", "//", "/leading", "\uE000"];
    const metas = new Map<string, unknown>();
    for (const [i, key] of keys.entries()) {
      const meta = await putCommitted(first, key, patternBytes(1000 * i + 1, i), {
        attributes: {
          contentType: `type/${i}`,
          metadata: { index: String(i) },
          checksums: { crc32: `c${i}` },
        },
      });
      metas.set(key, meta);
    }
    await putCommitted(first, "deleted", "x");
    await first.deleteObject(BUCKET, "deleted");
    const upload = await first.createMultipartUpload(
      BUCKET,
      "pending",
      attributesFor(Buffer.alloc(0), { contentType: "a/b" }),
    );
    const part = await first.stagePart(upload, 1);
    await part.write(Buffer.from("part one"));
    const partInfo = await part.commit({ etag: md5Etag(Buffer.from("part one")), checksums: {} });
    const bucketsBefore = await first.listBuckets();
    await first.close();

    const second = await openFsBackend(dirs.dataDir);
    expect(await second.listBuckets()).toEqual(bucketsBefore);
    expect((await second.getBucket(BUCKET))?.cors).toEqual(CORS);
    expect(await listAllKeys(second)).toEqual([...keys].sort(byUtf8));
    const page = await second.listObjects(BUCKET, { limit: 1000 });
    for (const object of page.objects) expect(object).toEqual(metas.get(object.key));
    for (const [i, key] of keys.entries()) {
      expect((await readBody(second, key))?.equals(patternBytes(1000 * i + 1, i)), key).toBe(true);
    }
    expect(await second.headObject(BUCKET, "deleted")).toBeUndefined();

    expect(await second.listMultipartUploads(BUCKET)).toEqual([upload]);
    expect(await second.listParts(upload)).toEqual([partInfo]);
    const completed = await second.completeMultipartUpload(
      upload,
      [{ partNumber: 1, etag: partInfo.etag }],
      '"m-1"',
    );
    expect(completed).toMatchObject({ key: "pending", size: 8, partsCount: 1, contentType: "a/b" });
    await second.close();

    const third = await openFsBackend(dirs.dataDir);
    expect(await third.headObject(BUCKET, "pending")).toEqual(completed);
    expect(await third.listMultipartUploads(BUCKET)).toEqual([]);
    expect(await third.deleteBucket("second-bucket")).toBe("deleted");
    await third.close();

    const fourth = await openFsBackend(dirs.dataDir);
    expect((await fourth.listBuckets()).map((b) => b.name)).toEqual([BUCKET]);
  });

  test("checksum algorithm, type and part checksums survive a re-open", async () => {
    const first = await openFsBackend(dirs.dataDir);
    await first.createBucket(BUCKET);
    const attributes = attributesFor(Buffer.alloc(0), {
      checksumAlgorithm: "sha1",
      checksumType: "COMPOSITE",
    });
    const pending = await first.createMultipartUpload(BUCKET, "pending", attributes);
    const upload = await first.createMultipartUpload(BUCKET, "done", attributes);
    const part = await first.stagePart(upload, 1);
    await part.write(Buffer.from("only part"));
    const info = await part.commit({
      etag: md5Etag(Buffer.from("only part")),
      checksums: { sha1: "c2hhMQ==" },
    });
    const meta = await first.completeMultipartUpload(
      upload,
      [{ partNumber: 1, etag: info.etag }],
      '"d-1"',
      undefined,
      { sha1: "Y29tcG9zaXRl-1" },
      [{ sha1: "c2hhMQ==" }],
    );
    await first.close();

    const second = await openFsBackend(dirs.dataDir);
    expect((await second.getMultipartUpload(BUCKET, "pending", pending.uploadId))?.attributes).toEqual(
      attributes,
    );
    expect(await second.headObject(BUCKET, "done")).toEqual(meta);
    expect(await second.headObject(BUCKET, "done")).toMatchObject({
      checksumAlgorithm: "sha1",
      checksumType: "COMPOSITE",
      partChecksums: [{ sha1: "c2hhMQ==" }],
    });
    await second.close();
  });

  test("durability none writes the same data", async () => {
    const backend = await openFsBackend(dirs.dataDir, "none");
    await backend.createBucket(BUCKET);
    await putCommitted(backend, "k", "no fsync");
    await backend.close();
    const reopened = await openFsBackend(dirs.dataDir, "none");
    expect((await readBody(reopened, "k"))?.toString()).toBe("no fsync");
  });
});
