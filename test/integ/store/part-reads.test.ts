/** GetObject and HeadObject with ?partNumber, and UploadPartCopy: the two ways S3 addresses one part. */
import { createHash, randomBytes } from "node:crypto";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readS3Error, sdkFailure } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const MIB = 1024 * 1024;
const md5 = (b: Uint8Array) => `"${createHash("md5").update(b).digest("hex")}"`;

describe.each(["memory", "fs"] as const)("parts (%s backend)", (backend) => {
  let f: StoreFixture;
  const parts = [randomBytes(5 * MIB), randomBytes(5 * MIB + 3), randomBytes(777)];
  let etag: string;

  async function multipart(key: string, bodies: Uint8Array[]) {
    const { UploadId } = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: f.bucket, Key: key }));
    const done = [];
    for (const [i, Body] of bodies.entries()) {
      const { ETag } = await f.s3.send(
        new UploadPartCommand({ Bucket: f.bucket, Key: key, UploadId, PartNumber: i + 1, Body }),
      );
      done.push({ PartNumber: i + 1, ETag });
    }
    const out = await f.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: f.bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: done },
      }),
    );
    return out.ETag!;
  }

  beforeAll(async () => {
    f = await startStore({ backend });
    etag = await multipart("mp.bin", parts);
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "single.txt", Body: "single" }));
  });
  afterAll(async () => {
    await f?.close();
  });

  describe("reads by partNumber", () => {
    it("sends part N of a multipart object as a 206 with its range and the parts count", async () => {
      const total = parts.reduce((n, p) => n + p.length, 0);
      let offset = 0;
      for (const [i, part] of parts.entries()) {
        const got = await f.s3.send(
          new GetObjectCommand({ Bucket: f.bucket, Key: "mp.bin", PartNumber: i + 1 }),
        );
        const bytes = await got.Body!.transformToByteArray();
        expect(got.$metadata.httpStatusCode).toBe(206);
        expect(md5(bytes)).toBe(md5(part));
        expect(got.ContentLength).toBe(part.length);
        expect(got.ContentRange).toBe(`bytes ${offset}-${offset + part.length - 1}/${total}`);
        expect(got.PartsCount).toBe(3);
        expect(got.ETag).toBe(etag);
        const head = await f.s3.send(
          new HeadObjectCommand({ Bucket: f.bucket, Key: "mp.bin", PartNumber: i + 1 }),
        );
        expect({ length: head.ContentLength, parts: head.PartsCount, etag: head.ETag }).toEqual({
          length: part.length,
          parts: 3,
          etag,
        });
        offset += part.length;
      }
    });

    it("reads a single-part object as its own part 1", async () => {
      const got = await f.s3.send(
        new GetObjectCommand({ Bucket: f.bucket, Key: "single.txt", PartNumber: 1 }),
      );
      expect(got.$metadata.httpStatusCode).toBe(200);
      expect(await got.Body!.transformToString()).toBe("single");
      expect(got.PartsCount).toBeUndefined();
    });

    it("refuses a part the object does not have (400 InvalidPart), a bad number and a Range with it", async () => {
      for (const [key, n] of [
        ["mp.bin", 4],
        ["single.txt", 2],
      ] as const) {
        expect(
          await sdkFailure(f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: key, PartNumber: n }))),
          `${key} part ${n}`,
        ).toMatchObject({ status: 400, code: "InvalidPart" });
      }
      for (const n of ["0", "10001", "x"]) {
        const res = await signedFetch(f, "GET", `/${f.bucket}/mp.bin?partNumber=${n}`);
        expect(await readS3Error(res), n).toMatchObject({ status: 400, code: "InvalidArgument" });
      }
      const both = await signedFetch(f, "GET", `/${f.bucket}/mp.bin?partNumber=1`, {
        headers: { range: "bytes=0-9" },
      });
      expect(await readS3Error(both)).toMatchObject({ status: 400, code: "InvalidRequest" });
    });

    it("answers NoSuchKey for a part of an object that does not exist (yet)", async () => {
      expect(
        await sdkFailure(f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: "none", PartNumber: 1 }))),
      ).toMatchObject({ status: 404, code: "NoSuchKey" });
    });
  });

  describe("UploadPartCopy", () => {
    async function copyPart(key: string, UploadId: string, PartNumber: number, range?: string) {
      return f.s3.send(
        new UploadPartCopyCommand({
          Bucket: f.bucket,
          Key: key,
          UploadId,
          PartNumber,
          CopySource: `${f.bucket}/mp.bin`,
          ...(range ? { CopySourceRange: range } : {}),
        }),
      );
    }

    it("makes parts of ranges of an object, and of a whole one, each with the md5 of its bytes", async () => {
      const key = "copied.bin";
      const { UploadId } = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: f.bucket, Key: key }));
      const whole = Buffer.concat(parts);
      const first = await copyPart(key, UploadId!, 1, `bytes=0-${5 * MIB - 1}`);
      const second = await copyPart(key, UploadId!, 2, `bytes=${5 * MIB}-${5 * MIB + 99}`);
      expect(first.CopyPartResult?.ETag).toBe(md5(whole.subarray(0, 5 * MIB)));
      expect(second.CopyPartResult?.ETag).toBe(md5(whole.subarray(5 * MIB, 5 * MIB + 100)));
      expect(first.CopyPartResult?.LastModified).toBeInstanceOf(Date);
      await f.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: f.bucket,
          Key: key,
          UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: first.CopyPartResult!.ETag },
              { PartNumber: 2, ETag: second.CopyPartResult!.ETag },
            ],
          },
        }),
      );
      const got = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
      expect(md5(await got.Body!.transformToByteArray())).toBe(md5(whole.subarray(0, 5 * MIB + 100)));

      const { UploadId: other } = await f.s3.send(
        new CreateMultipartUploadCommand({ Bucket: f.bucket, Key: "whole.bin" }),
      );
      const all = await f.s3.send(
        new UploadPartCopyCommand({
          Bucket: f.bucket,
          Key: "whole.bin",
          UploadId: other,
          PartNumber: 1,
          CopySource: `${f.bucket}/single.txt`,
        }),
      );
      expect(all.CopyPartResult?.ETag).toBe(md5(Buffer.from("single")));
    });

    it("refuses malformed ranges (InvalidArgument), ranges past the end (416 InvalidRange) and missing sources", async () => {
      const { UploadId } = await f.s3.send(
        new CreateMultipartUploadCommand({ Bucket: f.bucket, Key: "bad.bin" }),
      );
      for (const range of ["0-2", "bytes=0", "bytes=a-b", "bytes=0-2,3-5", "bytes=5-2", "bytes=-5"]) {
        expect(await sdkFailure(copyPart("bad.bin", UploadId!, 1, range)), range).toMatchObject({
          status: 400,
          code: "InvalidArgument",
        });
      }
      const total = parts.reduce((n, p) => n + p.length, 0);
      expect(await sdkFailure(copyPart("bad.bin", UploadId!, 1, `bytes=0-${total}`))).toMatchObject({
        status: 416,
        code: "InvalidRange",
      });
      const missing = f.s3.send(
        new UploadPartCopyCommand({
          Bucket: f.bucket,
          Key: "bad.bin",
          UploadId,
          PartNumber: 1,
          CopySource: `${f.bucket}/nothing-here`,
        }),
      );
      expect(await sdkFailure(missing)).toMatchObject({ status: 404, code: "NoSuchKey" });
      const failed = f.s3.send(
        new UploadPartCopyCommand({
          Bucket: f.bucket,
          Key: "bad.bin",
          UploadId,
          PartNumber: 1,
          CopySource: `${f.bucket}/single.txt`,
          CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"',
        }),
      );
      expect(await sdkFailure(failed)).toMatchObject({ status: 412, code: "PreconditionFailed" });
      const noUpload = f.s3.send(
        new UploadPartCopyCommand({
          Bucket: f.bucket,
          Key: "bad.bin",
          UploadId: "bm9zdWNodXBsb2Fk",
          PartNumber: 1,
          CopySource: `${f.bucket}/single.txt`,
        }),
      );
      expect(await sdkFailure(noUpload)).toMatchObject({ status: 404, code: "NoSuchUpload" });
    });
  });
});
