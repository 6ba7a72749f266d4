import { createHash } from "node:crypto";
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { MultipartUpload } from "../../src/store/backend/types.js";
import { openFsBackend, useTempDir, walk } from "./fs-support.js";
import { attributesFor, BUCKET, md5Etag, putCommitted, readBody } from "./support.js";

const EVIL_KEYS = [
  "../../etc/passwd",
  "/abs",
  "/etc/passwd",
  "a/../../b",
  "..",
  "../",
  "./",
  "../../../../../../../../tmp/escaped",
  "..\\..\\windows",
  "nul\u0000byte",
  "a".repeat(1024),
  "🙂/../🙂",
];

const hex64 = "[0-9a-f]{64}";
const uploadId = "[A-Za-z0-9_-]{24}";
/** Every path the fs backend may create; keys never appear in a path. */
const ALLOWED = new RegExp(
  `^(tmp|buckets|buckets/${BUCKET}(/(bucket\\.json|objects|objects/[0-9a-f]{2}|objects/[0-9a-f]{2}/${hex64}|uploads|uploads/${uploadId}|uploads/${uploadId}/(upload\\.json|\\d{5}\\.part)))?)$`,
);

describe("fs backend traversal-proofing", () => {
  const dirs = useTempDir();

  test("no key, however path-like, creates anything outside dataDir or names a file", async () => {
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    for (const key of EVIL_KEYS) await putCommitted(backend, key, `body of ${key}`);
    for (const key of EVIL_KEYS) {
      const upload = await backend.createMultipartUpload(BUCKET, key, attributesFor(Buffer.alloc(0)));
      const part = await backend.stagePart(upload, 7);
      await part.write(Buffer.from("p"));
      await part.commit({ etag: md5Etag(Buffer.from("p")), checksums: {} });
    }

    expect(await readdir(dirs.parent)).toEqual(["data"]);
    const paths = await walk(dirs.dataDir);
    expect(paths.filter((path) => !ALLOWED.test(path))).toEqual([]);
    for (const key of EVIL_KEYS) {
      const hash = createHash("sha256").update(key, "utf8").digest("hex");
      expect(paths).toContain(`buckets/${BUCKET}/objects/${hash.slice(0, 2)}/${hash}`);
      expect((await readBody(backend, key))?.toString()).toBe(`body of ${key}`);
    }
    expect(paths.filter((path) => path.startsWith("tmp/"))).toEqual([]);
  });

  test("unsafe bucket names and forged upload ids never reach the filesystem", async () => {
    const victim = join(dirs.parent, "victim");
    await mkdir(join(victim, "inside"), { recursive: true });
    const backend = await openFsBackend(dirs.dataDir);
    await backend.createBucket(BUCKET);
    const before = await walk(dirs.dataDir);

    for (const name of ["../victim", "..", "../../x", "a/b"]) {
      await expect(backend.createBucket(name)).rejects.toMatchObject({ code: "InvalidBucketName" });
      expect(await backend.deleteBucket(name)).toBe("missing");
      expect(await backend.setBucketCors(name, [])).toBe(false);
    }
    const real = await backend.createMultipartUpload(BUCKET, "k", attributesFor(Buffer.alloc(0)));
    for (const id of ["../../../../victim", "../../../../victim/inside", "..", ""]) {
      const forged: MultipartUpload = { ...real, uploadId: id };
      expect(await backend.getMultipartUpload(BUCKET, "k", id)).toBeUndefined();
      await backend.abortMultipartUpload(forged);
      await expect(backend.stagePart(forged, 1)).rejects.toMatchObject({ code: "NoSuchUpload" });
      await expect(backend.listParts(forged)).rejects.toMatchObject({ code: "NoSuchUpload" });
    }

    expect(await walk(victim)).toEqual(["inside"]);
    expect((await readdir(dirs.parent)).sort()).toEqual(["data", "victim"]);
    const after = await walk(dirs.dataDir);
    expect(after.filter((path) => !before.includes(path)).every((path) => path.includes("/uploads/"))).toBe(
      true,
    );
  });
});
