import { Readable } from "node:stream";
import { compareKeys } from "../../core/s3/key-order.js";
import { BackendError } from "./errors.js";
import {
  assertValidKey,
  assertValidPartNumber,
  isValidBucketName,
  isWellFormedUploadId,
  newUploadId,
} from "./names.js";
import { clampRange, conditionsHold, copyMeta } from "./object-meta.js";
import { SortedIndex } from "./sorted-index.js";
import type {
  BucketInfo,
  ByteRange,
  CommitRefusal,
  CompletePart,
  CorsRule,
  ListPage,
  ListQuery,
  MultipartUpload,
  ObjectAttributes,
  ObjectMeta,
  PartInfo,
  StagedObject,
  StagedPart,
  StorageBackend,
  WriteConditions,
} from "./types.js";

interface StoredObject {
  meta: ObjectMeta;
  chunks: Buffer[];
}

interface StoredPart {
  info: PartInfo;
  chunks: Buffer[];
}

interface StoredUpload {
  upload: MultipartUpload;
  parts: Map<number, StoredPart>;
}

interface MemoryBucket {
  info: BucketInfo;
  objects: SortedIndex<StoredObject>;
  uploads: Map<string, StoredUpload>;
}

/** Bytes collected in memory until committed; chunks are copied, so callers may reuse their buffers. */
class ChunkCollector {
  readonly chunks: Buffer[] = [];
  size = 0;
  state: "open" | "done" = "open";

  write(chunk: Uint8Array): void {
    if (this.state !== "open") throw new Error("write after commit or abort");
    this.chunks.push(Buffer.from(chunk));
    this.size += chunk.byteLength;
  }

  finish(): void {
    if (this.state !== "open") throw new Error("commit after commit or abort");
    this.state = "done";
  }

  /** Drops the bytes unless they were committed (then they belong to the stored object). */
  discard(): void {
    if (this.state !== "open") return;
    this.state = "done";
    this.chunks.length = 0;
  }
}

function* slices(chunks: Buffer[], span: ByteRange): Generator<Buffer> {
  let offset = 0;
  for (const chunk of chunks) {
    const chunkEnd = offset + chunk.length;
    if (chunkEnd > span.start && offset <= span.end) {
      yield chunk.subarray(Math.max(0, span.start - offset), Math.min(chunk.length, span.end + 1 - offset));
    }
    offset = chunkEnd;
  }
}

const copyBucketInfo = (info: BucketInfo): BucketInfo => structuredClone(info);

const copyUpload = (upload: MultipartUpload): MultipartUpload => structuredClone(upload);

/** A backend that keeps everything in process memory: for tests and throwaway dev stores. */
export function createMemoryBackend(): StorageBackend {
  const buckets = new Map<string, MemoryBucket>();

  const bucketOrThrow = (name: string): MemoryBucket => {
    const bucket = buckets.get(name);
    if (!bucket) throw new BackendError("NoSuchBucket", `bucket ${name} does not exist`);
    return bucket;
  };

  const uploadOrThrow = (upload: MultipartUpload): StoredUpload => {
    const stored = buckets.get(upload.bucket)?.uploads.get(upload.uploadId);
    if (!stored || stored.upload.key !== upload.key) {
      throw new BackendError("NoSuchUpload", `upload ${upload.uploadId} does not exist`);
    }
    return stored;
  };

  const commitObject = (
    bucketName: string,
    key: string,
    object: StoredObject,
    conditions: WriteConditions | undefined,
  ): ObjectMeta | CommitRefusal => {
    const bucket = buckets.get(bucketName);
    if (!bucket) return "no-such-bucket";
    if (!conditionsHold(bucket.objects.get(key)?.meta, conditions)) return "precondition-failed";
    bucket.objects.set(key, object);
    return copyMeta(object.meta);
  };

  return {
    async init() {},
    async close() {},

    async listBuckets() {
      return [...buckets.values()]
        .map((bucket) => copyBucketInfo(bucket.info))
        .sort((a, b) => compareKeys(a.name, b.name));
    },

    async getBucket(name) {
      const bucket = buckets.get(name);
      return bucket ? copyBucketInfo(bucket.info) : undefined;
    },

    async createBucket(name) {
      if (!isValidBucketName(name))
        throw new BackendError("InvalidBucketName", `invalid bucket name ${name}`);
      if (buckets.has(name)) return "exists";
      buckets.set(name, {
        info: { name, createdAt: new Date() },
        objects: new SortedIndex(),
        uploads: new Map(),
      });
      return "created";
    },

    async deleteBucket(name) {
      const bucket = buckets.get(name);
      if (!bucket) return "missing";
      if (bucket.objects.size > 0) return "not-empty";
      // S3 deletes a bucket that holds only unfinished multipart uploads, and the uploads with it.
      buckets.delete(name);
      return "deleted";
    },

    async setBucketCors(name: string, rules: CorsRule[] | undefined) {
      const bucket = buckets.get(name);
      if (!bucket) return false;
      bucket.info = { name, createdAt: bucket.info.createdAt };
      if (rules !== undefined) bucket.info.cors = structuredClone(rules);
      return true;
    },

    async stageObject(bucketName, key): Promise<StagedObject | undefined> {
      assertValidKey(key);
      if (!buckets.has(bucketName)) return undefined;
      const bytes = new ChunkCollector();
      return {
        get size() {
          return bytes.size;
        },
        async write(chunk) {
          bytes.write(chunk);
        },
        async commit(attributes: ObjectAttributes, conditions?: WriteConditions) {
          bytes.finish();
          const meta: ObjectMeta = copyMeta({
            ...attributes,
            key,
            size: bytes.size,
            lastModified: new Date(),
          });
          return commitObject(bucketName, key, { meta, chunks: bytes.chunks }, conditions);
        },
        async abort() {
          bytes.discard();
        },
      };
    },

    async headObject(bucketName, key) {
      const object = buckets.get(bucketName)?.objects.get(key);
      return object ? copyMeta(object.meta) : undefined;
    },

    async readObject(bucketName, key, range) {
      const object = buckets.get(bucketName)?.objects.get(key);
      if (!object) return undefined;
      const span = clampRange(object.meta.size, range);
      const body = Readable.from(span ? slices(object.chunks, span) : [], { objectMode: false });
      return { meta: copyMeta(object.meta), body };
    },

    async deleteObject(bucketName, key) {
      return buckets.get(bucketName)?.objects.delete(key) ?? false;
    },

    async listObjects(bucketName: string, query: ListQuery): Promise<ListPage> {
      const { values, truncated } = bucketOrThrow(bucketName).objects.list(query);
      return { objects: values.map((object) => copyMeta(object.meta)), truncated };
    },

    async createMultipartUpload(bucketName, key, attributes) {
      assertValidKey(key);
      const bucket = bucketOrThrow(bucketName);
      const upload: MultipartUpload = {
        uploadId: newUploadId(),
        bucket: bucketName,
        key,
        initiated: new Date(),
        attributes: structuredClone(attributes),
      };
      bucket.uploads.set(upload.uploadId, { upload, parts: new Map() });
      return copyUpload(upload);
    },

    async getMultipartUpload(bucketName, key, uploadId) {
      if (!isWellFormedUploadId(uploadId)) return undefined;
      const stored = buckets.get(bucketName)?.uploads.get(uploadId);
      return stored && stored.upload.key === key ? copyUpload(stored.upload) : undefined;
    },

    async stagePart(upload, partNumber): Promise<StagedPart> {
      assertValidPartNumber(partNumber);
      uploadOrThrow(upload);
      const bytes = new ChunkCollector();
      return {
        get size() {
          return bytes.size;
        },
        async write(chunk) {
          bytes.write(chunk);
        },
        async commit({ etag, checksums }) {
          bytes.finish();
          const stored = uploadOrThrow(upload);
          const info: PartInfo = { partNumber, size: bytes.size, etag, lastModified: new Date(), checksums };
          stored.parts.set(partNumber, { info: structuredClone(info), chunks: bytes.chunks });
          return info;
        },
        async abort() {
          bytes.discard();
        },
      };
    },

    async listParts(upload) {
      const parts = [...uploadOrThrow(upload).parts.values()].map((part) => structuredClone(part.info));
      return parts.sort((a, b) => a.partNumber - b.partNumber);
    },

    async listMultipartUploads(bucketName) {
      const uploads = [...bucketOrThrow(bucketName).uploads.values()].map((stored) =>
        copyUpload(stored.upload),
      );
      return uploads.sort(
        (a, b) => compareKeys(a.key, b.key) || a.initiated.getTime() - b.initiated.getTime(),
      );
    },

    async completeMultipartUpload(
      upload: MultipartUpload,
      plan: CompletePart[],
      etag,
      conditions,
      checksums,
      partChecksums,
    ) {
      const stored = uploadOrThrow(upload);
      const chunks: Buffer[] = [];
      const partSizes: number[] = [];
      for (const { partNumber, etag: partEtag } of plan) {
        const part = stored.parts.get(partNumber);
        if (!part || part.info.etag !== partEtag) {
          throw new BackendError("InvalidPart", `part ${partNumber} was not uploaded with ETag ${partEtag}`);
        }
        chunks.push(...part.chunks);
        partSizes.push(part.info.size);
      }
      const { attributes } = stored.upload;
      const meta = copyMeta({
        ...attributes,
        checksums: { ...attributes.checksums, ...checksums },
        etag,
        key: upload.key,
        size: partSizes.reduce((sum, n) => sum + n, 0),
        lastModified: new Date(),
        partsCount: plan.length,
        partSizes,
        completedUpload: upload.uploadId,
        ...(partChecksums ? { partChecksums } : {}),
      });
      const result = commitObject(upload.bucket, upload.key, { meta, chunks }, conditions);
      if (typeof result !== "string") buckets.get(upload.bucket)?.uploads.delete(upload.uploadId);
      return result;
    },

    async abortMultipartUpload(upload) {
      const stored = buckets.get(upload.bucket)?.uploads.get(upload.uploadId);
      if (stored?.upload.key === upload.key) buckets.get(upload.bucket)?.uploads.delete(upload.uploadId);
    },
  };
}
