import { describe, expect, test } from "vitest";
import { BackendError } from "../../src/store/backend/errors.js";
import type { CorsRule } from "../../src/store/backend/types.js";
import { attributesFor, BUCKET, type Harness, putCommitted } from "./support.js";

const RULES: CorsRule[] = [
  {
    id: "web",
    allowedOrigins: ["https://app.example"],
    allowedMethods: ["PUT", "POST"],
    allowedHeaders: ["content-type", "x-amz-*"],
    exposeHeaders: ["ETag"],
    maxAgeSeconds: 600,
  },
];

export function bucketContract(h: Harness): void {
  describe("buckets", () => {
    test("create, get, list in name order, and create again", async () => {
      const before = Date.now();
      expect(await h.backend.createBucket("zeta-bucket")).toBe("created");
      expect(await h.backend.createBucket("alpha.bucket")).toBe("created");
      expect(await h.backend.createBucket("zeta-bucket")).toBe("exists");

      const info = await h.backend.getBucket("zeta-bucket");
      expect(info?.name).toBe("zeta-bucket");
      expect(info?.createdAt).toBeInstanceOf(Date);
      expect(info!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(info?.cors).toBeUndefined();
      expect(await h.backend.getBucket("missing-bucket")).toBeUndefined();
      expect((await h.backend.listBuckets()).map((bucket) => bucket.name)).toEqual([
        "alpha.bucket",
        "zeta-bucket",
      ]);
    });

    test("names that break S3's rules or are unsafe as a path segment are refused", async () => {
      for (const name of [
        "..",
        ".",
        "ab",
        "A-bucket",
        "a/b",
        "../escape",
        "bucket/..",
        "a..b",
        "-abc",
        "x".repeat(64),
        "",
      ]) {
        await expect(h.backend.createBucket(name), name).rejects.toMatchObject({ code: "InvalidBucketName" });
        expect(await h.backend.getBucket(name)).toBeUndefined();
        expect(await h.backend.stageObject(name, "key")).toBeUndefined();
      }
      await expect(h.backend.createBucket("../escape")).rejects.toBeInstanceOf(BackendError);
      expect(await h.backend.listBuckets()).toEqual([]);
    });

    test("delete refuses while objects remain, then deletes", async () => {
      expect(await h.backend.deleteBucket(BUCKET)).toBe("missing");
      await h.backend.createBucket(BUCKET);
      await putCommitted(h.backend, "k", "v");
      expect(await h.backend.deleteBucket(BUCKET)).toBe("not-empty");
      expect(await h.backend.headObject(BUCKET, "k")).toBeDefined();
      expect(await h.backend.deleteObject(BUCKET, "k")).toBe(true);
      expect(await h.backend.deleteBucket(BUCKET)).toBe("deleted");
      expect(await h.backend.getBucket(BUCKET)).toBeUndefined();
      expect(await h.backend.listBuckets()).toEqual([]);
      expect(await h.backend.deleteBucket(BUCKET)).toBe("missing");
    });

    test("unfinished multipart uploads do not keep a bucket alive and go with it (as in S3)", async () => {
      await h.backend.createBucket(BUCKET);
      const upload = await h.backend.createMultipartUpload(BUCKET, "big", attributesFor(Buffer.alloc(0)));
      const part = await h.backend.stagePart(upload, 1);
      await part.write(Buffer.from("part"));
      await part.commit({ etag: '"p"', checksums: {} });

      expect(await h.backend.deleteBucket(BUCKET)).toBe("deleted");
      expect(await h.backend.createBucket(BUCKET)).toBe("created");
      expect(await h.backend.getMultipartUpload(BUCKET, "big", upload.uploadId)).toBeUndefined();
      expect(await h.backend.listMultipartUploads(BUCKET)).toEqual([]);
      await expect(h.backend.listParts(upload)).rejects.toMatchObject({ code: "NoSuchUpload" });
    });

    test("a re-created bucket starts empty", async () => {
      await h.backend.createBucket(BUCKET);
      await h.backend.setBucketCors(BUCKET, RULES);
      await putCommitted(h.backend, "k", "v");
      await h.backend.deleteObject(BUCKET, "k");
      expect(await h.backend.deleteBucket(BUCKET)).toBe("deleted");
      await h.backend.createBucket(BUCKET);
      expect((await h.backend.getBucket(BUCKET))?.cors).toBeUndefined();
      expect((await h.backend.listObjects(BUCKET, { limit: 10 })).objects).toEqual([]);
    });

    test("CORS rules are stored, replaced and removed", async () => {
      expect(await h.backend.setBucketCors(BUCKET, RULES)).toBe(false);
      await h.backend.createBucket(BUCKET);
      expect(await h.backend.setBucketCors(BUCKET, RULES)).toBe(true);
      expect((await h.backend.getBucket(BUCKET))?.cors).toEqual(RULES);
      expect((await h.backend.listBuckets())[0]?.cors).toEqual(RULES);

      const replaced: CorsRule[] = [
        { allowedOrigins: ["*"], allowedMethods: ["GET"], allowedHeaders: [], exposeHeaders: [] },
      ];
      expect(await h.backend.setBucketCors(BUCKET, replaced)).toBe(true);
      expect((await h.backend.getBucket(BUCKET))?.cors).toEqual(replaced);

      expect(await h.backend.setBucketCors(BUCKET, undefined)).toBe(true);
      expect((await h.backend.getBucket(BUCKET))?.cors).toBeUndefined();
    });

    test("returned bucket info is a copy", async () => {
      await h.backend.createBucket(BUCKET);
      await h.backend.setBucketCors(BUCKET, RULES);
      const info = await h.backend.getBucket(BUCKET);
      info!.cors![0]!.allowedOrigins.push("https://evil.example");
      info!.createdAt.setTime(0);
      expect((await h.backend.getBucket(BUCKET))?.cors).toEqual(RULES);
      expect((await h.backend.getBucket(BUCKET))?.createdAt.getTime()).not.toBe(0);
    });
  });
}
