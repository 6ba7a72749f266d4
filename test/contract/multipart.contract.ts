import { createHash } from "node:crypto";
import { beforeEach, describe, expect, test } from "vitest";
import type { MultipartUpload } from "../../src/store/backend/types.js";
import {
  attributesFor,
  BUCKET,
  type Harness,
  md5Etag,
  patternBytes,
  plan,
  putCommitted,
  readAll,
  readBody,
  uploadPart,
} from "./support.js";

const ATTRIBUTES = attributesFor(Buffer.alloc(0), {
  etag: "",
  contentType: "video/mp4",
  metadata: { "upgate-user": "u-7" },
  headers: { "content-disposition": "inline" },
});

export function multipartContract(h: Harness): void {
  describe("multipart uploads", () => {
    beforeEach(async () => {
      await h.backend.createBucket(BUCKET);
    });

    test("create, find, and list uploads", async () => {
      const b = await h.backend.createMultipartUpload(BUCKET, "b-key", ATTRIBUTES);
      const a = await h.backend.createMultipartUpload(BUCKET, "a-key", ATTRIBUTES);
      expect(a.uploadId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      expect(a.uploadId).not.toBe(b.uploadId);
      expect(a).toMatchObject({ bucket: BUCKET, key: "a-key", attributes: ATTRIBUTES });
      expect(a.initiated).toBeInstanceOf(Date);

      expect(await h.backend.getMultipartUpload(BUCKET, "a-key", a.uploadId)).toEqual(a);
      expect(await h.backend.getMultipartUpload(BUCKET, "b-key", a.uploadId)).toBeUndefined();
      expect(await h.backend.getMultipartUpload(BUCKET, "a-key", "../../../etc")).toBeUndefined();
      expect(await h.backend.getMultipartUpload(BUCKET, "a-key", "x".repeat(24))).toBeUndefined();
      expect(await h.backend.getMultipartUpload("missing-bucket", "a-key", a.uploadId)).toBeUndefined();
      expect(await h.backend.listMultipartUploads(BUCKET)).toEqual([a, b]);
      expect(await h.backend.listParts(a)).toEqual([]);
      await expect(h.backend.createMultipartUpload("missing-bucket", "k", ATTRIBUTES)).rejects.toMatchObject({
        code: "NoSuchBucket",
      });
      await expect(h.backend.listMultipartUploads("missing-bucket")).rejects.toMatchObject({
        code: "NoSuchBucket",
      });
    });

    test("parts replace earlier parts with the same number; complete joins the planned parts in order", async () => {
      const upload = await h.backend.createMultipartUpload(BUCKET, "movie.mp4", ATTRIBUTES);
      const p3 = patternBytes(300_001, 3);
      const p1 = patternBytes(1_300_000, 1);
      const p2old = patternBytes(500_000, 20);
      const p2 = patternBytes(1_100_003, 2);
      await uploadPart(h.backend, upload, 3, p3);
      await uploadPart(h.backend, upload, 1, p1);
      await uploadPart(h.backend, upload, 2, p2old);
      const replaced = await uploadPart(h.backend, upload, 2, p2);
      expect(replaced).toMatchObject({ partNumber: 2, size: p2.length, etag: md5Etag(p2) });

      const parts = await h.backend.listParts(upload);
      expect(parts.map((p) => [p.partNumber, p.size, p.etag])).toEqual([
        [1, p1.length, md5Etag(p1)],
        [2, p2.length, md5Etag(p2)],
        [3, p3.length, md5Etag(p3)],
      ]);
      expect(parts[1]).toEqual(replaced);
      expect(parts[1]?.checksums.sha256).toBe(createHash("sha256").update(p2).digest("base64"));
      expect(await h.backend.headObject(BUCKET, "movie.mp4")).toBeUndefined();

      const meta = await h.backend.completeMultipartUpload(upload, plan(parts), '"abc-3"');
      const whole = Buffer.concat([p1, p2, p3]);
      expect(meta).toMatchObject({
        key: "movie.mp4",
        size: whole.length,
        etag: '"abc-3"',
        partsCount: 3,
        partSizes: [p1.length, p2.length, p3.length],
        completedUpload: upload.uploadId,
        contentType: "video/mp4",
        metadata: { "upgate-user": "u-7" },
        headers: { "content-disposition": "inline" },
      });
      expect(await h.backend.headObject(BUCKET, "movie.mp4")).toEqual(meta);
      expect((await readBody(h.backend, "movie.mp4"))?.equals(whole)).toBe(true);
      const ranged = await h.backend.readObject(BUCKET, "movie.mp4", {
        start: p1.length - 10,
        end: p1.length + 9,
      });
      expect((await readAll(ranged!.body)).equals(whole.subarray(p1.length - 10, p1.length + 10))).toBe(true);

      expect(await h.backend.getMultipartUpload(BUCKET, "movie.mp4", upload.uploadId)).toBeUndefined();
      expect(await h.backend.listMultipartUploads(BUCKET)).toEqual([]);
      await expect(h.backend.listParts(upload)).rejects.toMatchObject({ code: "NoSuchUpload" });
      await expect(h.backend.completeMultipartUpload(upload, plan(parts), '"abc-3"')).rejects.toMatchObject({
        code: "NoSuchUpload",
      });
    });

    test("an upload keeps its checksum algorithm and type; the object keeps them and each part's checksums", async () => {
      const attributes = {
        ...ATTRIBUTES,
        checksumAlgorithm: "crc64nvme",
        checksumType: "FULL_OBJECT" as const,
      };
      const upload = await h.backend.createMultipartUpload(BUCKET, "summed", attributes);
      expect(upload.attributes).toEqual(attributes);
      expect((await h.backend.getMultipartUpload(BUCKET, "summed", upload.uploadId))?.attributes).toEqual(
        attributes,
      );
      const staged = await h.backend.stagePart(upload, 1);
      await staged.write(Buffer.from("one"));
      const p1 = await staged.commit({
        etag: md5Etag(Buffer.from("one")),
        checksums: { crc64nvme: "AAAAAAAAAAE=" },
      });
      const p2 = await uploadPart(h.backend, upload, 2, Buffer.from("two"));
      const partChecksums = [{ crc64nvme: "AAAAAAAAAAE=" }, { ...p2.checksums, crc64nvme: "AAAAAAAAAAI=" }];
      const meta = await h.backend.completeMultipartUpload(
        upload,
        plan([p1, p2]),
        '"s-2"',
        undefined,
        { crc64nvme: "AAAAAAAAAAM=" },
        partChecksums,
      );
      expect(meta).toMatchObject({
        checksums: { crc64nvme: "AAAAAAAAAAM=" },
        checksumAlgorithm: "crc64nvme",
        checksumType: "FULL_OBJECT",
        partChecksums,
        partSizes: [3, 3],
      });
      expect(await h.backend.headObject(BUCKET, "summed")).toEqual(meta);
      const copy = await h.backend.headObject(BUCKET, "summed");
      copy!.partChecksums![0]!.crc64nvme = "changed";
      expect((await h.backend.headObject(BUCKET, "summed"))?.partChecksums).toEqual(partChecksums);
    });

    test("complete may skip parts, and replaces an existing object", async () => {
      await putCommitted(h.backend, "k", "old object");
      const upload = await h.backend.createMultipartUpload(BUCKET, "k", ATTRIBUTES);
      const p1 = await uploadPart(h.backend, upload, 1, Buffer.from("one-"));
      await uploadPart(h.backend, upload, 2, Buffer.from("two-"));
      const p5 = await uploadPart(h.backend, upload, 5, Buffer.from("five"));
      const meta = await h.backend.completeMultipartUpload(upload, plan([p1, p5]), '"x-2"');
      expect(meta).toMatchObject({
        size: 8,
        partsCount: 2,
        partSizes: [4, 4],
        completedUpload: upload.uploadId,
      });
      expect((await readBody(h.backend, "k"))?.toString()).toBe("one-five");
      // An object written over it is no multipart object, and no upload's result.
      await putCommitted(h.backend, "k", "plain again");
      const plain = await h.backend.headObject(BUCKET, "k");
      expect(plain?.partSizes).toBeUndefined();
      expect(plain?.completedUpload).toBeUndefined();
    });

    test("a part whose ETag differs from the plan fails with InvalidPart and changes nothing", async () => {
      const upload = await h.backend.createMultipartUpload(BUCKET, "k", ATTRIBUTES);
      const p1 = await uploadPart(h.backend, upload, 1, Buffer.from("one"));
      const wrongEtag = [{ partNumber: 1, etag: md5Etag(Buffer.from("not one")) }];
      await expect(h.backend.completeMultipartUpload(upload, wrongEtag, '"e-1"')).rejects.toMatchObject({
        code: "InvalidPart",
      });
      const missingPart = [...plan([p1]), { partNumber: 2, etag: p1.etag }];
      await expect(h.backend.completeMultipartUpload(upload, missingPart, '"e-2"')).rejects.toMatchObject({
        code: "InvalidPart",
      });
      expect(await h.backend.headObject(BUCKET, "k")).toBeUndefined();
      expect(await h.backend.getMultipartUpload(BUCKET, "k", upload.uploadId)).toEqual(upload);
      expect(await h.backend.listParts(upload)).toEqual([p1]);
      expect(await h.backend.completeMultipartUpload(upload, plan([p1]), '"e-1"')).toMatchObject({ size: 3 });
    });

    test("complete honours If-None-Match and If-Match; a refusal keeps the upload", async () => {
      const existing = await putCommitted(h.backend, "k", "existing");
      const upload = await h.backend.createMultipartUpload(BUCKET, "k", ATTRIBUTES);
      const p1 = await uploadPart(h.backend, upload, 1, Buffer.from("new"));
      expect(await h.backend.completeMultipartUpload(upload, plan([p1]), '"n-1"', { ifNoneMatch: "*" })).toBe(
        "precondition-failed",
      );
      expect(
        await h.backend.completeMultipartUpload(upload, plan([p1]), '"n-1"', { ifMatch: '"other"' }),
      ).toBe("precondition-failed");
      expect((await readBody(h.backend, "k"))?.toString()).toBe("existing");
      expect(await h.backend.listParts(upload)).toEqual([p1]);
      const meta = await h.backend.completeMultipartUpload(upload, plan([p1]), '"n-1"', {
        ifMatch: existing.etag,
      });
      expect(meta).toMatchObject({ etag: '"n-1"', size: 3 });
    });

    test("abort removes the upload and its parts; later part commits fail with NoSuchUpload", async () => {
      const upload = await h.backend.createMultipartUpload(BUCKET, "k", ATTRIBUTES);
      await uploadPart(h.backend, upload, 1, Buffer.from("one"));
      const late = await h.backend.stagePart(upload, 2);
      await late.write(Buffer.from("late"));

      await h.backend.abortMultipartUpload(upload);
      await h.backend.abortMultipartUpload(upload);
      expect(await h.backend.getMultipartUpload(BUCKET, "k", upload.uploadId)).toBeUndefined();
      expect(await h.backend.listMultipartUploads(BUCKET)).toEqual([]);
      await expect(h.backend.listParts(upload)).rejects.toMatchObject({ code: "NoSuchUpload" });
      await expect(h.backend.stagePart(upload, 3)).rejects.toMatchObject({ code: "NoSuchUpload" });
      await expect(late.commit({ etag: '"late"', checksums: {} })).rejects.toMatchObject({
        code: "NoSuchUpload",
      });
      await late.abort();
      await expect(h.backend.completeMultipartUpload(upload, [], '"x"')).rejects.toMatchObject({
        code: "NoSuchUpload",
      });
      expect(await h.backend.headObject(BUCKET, "k")).toBeUndefined();
    });

    test("an aborted part is not listed; other uploads of the same key are independent", async () => {
      const first = await h.backend.createMultipartUpload(BUCKET, "k", ATTRIBUTES);
      const second = await h.backend.createMultipartUpload(BUCKET, "k", ATTRIBUTES);
      const kept = await uploadPart(h.backend, first, 1, Buffer.from("kept"));
      const dropped = await h.backend.stagePart(first, 2);
      await dropped.write(Buffer.from("dropped"));
      await dropped.abort();
      await dropped.abort();
      await expect(dropped.commit({ etag: '"d"', checksums: {} })).rejects.toThrow();
      await uploadPart(h.backend, second, 1, Buffer.from("other"));

      expect(await h.backend.listParts(first)).toEqual([kept]);
      await h.backend.abortMultipartUpload(second);
      expect(await h.backend.listParts(first)).toEqual([kept]);
      expect((await h.backend.listMultipartUploads(BUCKET)).map((u) => u.uploadId)).toEqual([first.uploadId]);
    });

    test("part numbers are 1 to 10000", async () => {
      const upload = await h.backend.createMultipartUpload(BUCKET, "k", ATTRIBUTES);
      for (const partNumber of [0, -1, 10_001, 1.5, Number.NaN]) {
        await expect(h.backend.stagePart(upload, partNumber), String(partNumber)).rejects.toMatchObject({
          code: "InvalidArgument",
        });
      }
      expect((await uploadPart(h.backend, upload, 10_000, Buffer.from("last"))).partNumber).toBe(10_000);
    });

    test("a forged upload (unknown id, other key, unsafe id) is refused", async () => {
      const real = await h.backend.createMultipartUpload(BUCKET, "k", ATTRIBUTES);
      const forgeries: MultipartUpload[] = [
        { ...real, uploadId: "../../../../tmp" },
        { ...real, uploadId: "A".repeat(24) },
        { ...real, key: "other" },
        { ...real, bucket: "missing-bucket" },
      ];
      for (const forged of forgeries) {
        await expect(h.backend.stagePart(forged, 1)).rejects.toMatchObject({ code: "NoSuchUpload" });
        await expect(h.backend.listParts(forged)).rejects.toMatchObject({ code: "NoSuchUpload" });
        await expect(h.backend.completeMultipartUpload(forged, [], '"x"')).rejects.toMatchObject({
          code: "NoSuchUpload",
        });
        await h.backend.abortMultipartUpload(forged);
      }
      expect(await h.backend.getMultipartUpload(BUCKET, "k", real.uploadId)).toEqual(real);
    });

    test("two concurrent completes of one upload: one object, the other gets NoSuchUpload", async () => {
      const upload = await h.backend.createMultipartUpload(BUCKET, "k", ATTRIBUTES);
      const p1 = await uploadPart(h.backend, upload, 1, patternBytes(400_000, 1));
      const results = await Promise.allSettled([
        h.backend.completeMultipartUpload(upload, plan([p1]), '"a-1"'),
        h.backend.completeMultipartUpload(upload, plan([p1]), '"b-1"'),
      ]);
      const fulfilled = results.filter((result) => result.status === "fulfilled");
      const rejected = results.filter((result) => result.status === "rejected");
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ code: "NoSuchUpload" });
      const meta = (fulfilled[0] as PromiseFulfilledResult<unknown>).value;
      expect(await h.backend.headObject(BUCKET, "k")).toEqual(meta);
    });
  });
}
