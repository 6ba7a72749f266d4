import { createHash } from "node:crypto";
import type { ByteRange, ObjectMeta } from "../backend/types.js";
import { checksumElements } from "../checksums/response.js";
import { storedUploadChecksum } from "../checksums/upload-checksum.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { sendXml } from "../respond.js";
import { MAX_PART_SIZE } from "./multipart.js";
import { parseCopySource } from "./object-copy.js";
import { partNumberOf } from "./part-number.js";
import { COPY_SOURCE_CONDITIONS, evaluateConditions } from "./read-conditions.js";
import { backendRefusal, requireUpload } from "./upload-lookup.js";
import { abortQuietly } from "./write-refusal.js";

const COPY_RANGE = /^bytes=(\d{1,16})-(\d{1,16})$/;

/**
 * x-amz-copy-source-range: exactly "bytes=first-last" with first <= last (otherwise 400
 * InvalidArgument); a range reaching past the source's last byte is 416 InvalidRange. No header
 * copies the whole source.
 */
export function copySourceRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = COPY_RANGE.exec(header.trim());
  const start = Number(m?.[1]);
  const end = Number(m?.[2]);
  if (!m || start > end) {
    throw new S3Error(
      "InvalidArgument",
      "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
      [
        ["ArgumentName", "x-amz-copy-source-range"],
        ["ArgumentValue", header],
      ],
    );
  }
  if (end >= size) {
    throw new S3Error("InvalidRange", undefined, [
      ["RangeRequested", header],
      ["ActualObjectSize", String(size)],
    ]);
  }
  return { start, end };
}

/** A source replaced between its HEAD and its read is read again. */
const MAX_ATTEMPTS = 3;

/**
 * PUT /bucket/key?partNumber=N&uploadId=U with x-amz-copy-source[-range]: a part made of (a range of)
 * an existing object, copied on the server. The part's ETag is the md5 of the copied bytes, as for an
 * uploaded part; x-amz-copy-source-if-* are checked against the source.
 */
export async function uploadPartCopy(ctx: RequestContext): Promise<void> {
  const partNumber = partNumberOf(ctx);
  const upload = await requireUpload(ctx);
  const source = parseCopySource(ctx.headers.get("x-amz-copy-source") ?? "");
  const backend = ctx.state.backend;
  if (!(await backend.getBucket(source.bucket))) {
    throw new S3Error("NoSuchBucket", undefined, [["BucketName", source.bucket]]);
  }
  for (let attempt = 1; ; attempt++) {
    const head = await backend.headObject(source.bucket, source.key);
    if (!head) throw new S3Error("NoSuchKey", undefined, [["Key", source.key]]);
    const outcome = evaluateConditions(head, ctx.headers, COPY_SOURCE_CONDITIONS);
    if (outcome.kind !== "ok")
      throw new S3Error("PreconditionFailed", undefined, [["Condition", outcome.condition]]);
    const range = copySourceRange(ctx.headers.get("x-amz-copy-source-range"), head.size);
    const length = range ? range.end - range.start + 1 : head.size;
    if (length > MAX_PART_SIZE) {
      throw new S3Error("EntityTooLarge", undefined, [
        ["ProposedSize", String(length)],
        ["MaxSizeAllowed", String(MAX_PART_SIZE)],
      ]);
    }
    const read = await backend.readObject(source.bucket, source.key, range);
    if (!read) throw new S3Error("NoSuchKey", undefined, [["Key", source.key]]);
    if (!sameVersion(read.meta, head)) {
      read.body.destroy();
      if (attempt < MAX_ATTEMPTS) continue;
      throw new S3Error("InternalError", "The copy source kept changing while it was being read.");
    }
    const staged = await backend.stagePart(upload, partNumber).catch((err) => {
      read.body.destroy();
      return backendRefusal(err, upload.uploadId);
    });
    try {
      const md5 = createHash("md5");
      // An upload created with a checksum algorithm keeps each part's checksum, copied parts included.
      const algorithm = storedUploadChecksum(upload.attributes)?.spec;
      const sum = algorithm?.create();
      for await (const chunk of read.body as AsyncIterable<Buffer>) {
        md5.update(chunk);
        sum?.update(chunk);
        await staged.write(chunk);
      }
      const checksums = algorithm && sum ? { [algorithm.name]: sum.digestBase64() } : {};
      const part = await staged.commit({ etag: `"${md5.digest("hex")}"`, checksums });
      sendXml(ctx, 200, "CopyPartResult", {
        ETag: part.etag,
        LastModified: part.lastModified,
        ...checksumElements(checksums),
      });
      return;
    } catch (err) {
      read.body.destroy();
      await abortQuietly(ctx, staged);
      return backendRefusal(err, upload.uploadId);
    }
  }
}

const sameVersion = (a: ObjectMeta, b: ObjectMeta) =>
  a.etag === b.etag && a.lastModified.getTime() === b.lastModified.getTime();
