import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { isValidBucketName, isWellFormedUploadId } from "../names.js";

/**
 * Where everything lives under dataDir. No client-supplied string is ever used as a path: keys become
 * sha256 hex names, bucket names and upload ids are checked against strict patterns first.
 *
 *   tmp/<random>                                 files and directories being written (all junk at init)
 *   buckets/<bucket>/bucket.json                 BucketInfo
 *   buckets/<bucket>/objects/<h[0..2]>/<h>       one file per object: bytes, then its record (trailer.ts)
 *   buckets/<bucket>/uploads/<uploadId>/upload.json
 *   buckets/<bucket>/uploads/<uploadId>/<nnnnn>.part   one file per part: bytes, then its record
 *   buckets/<bucket>/blobs/<blobId>/<nnnnn>.part        a completed multipart object's parts, in order
 *                                                      (hard links of the upload's part files)
 *
 * A multipart object's file holds no bytes, only its record, which names its blob (blobs.ts).
 */
export class FsLayout {
  readonly tmpDir: string;
  readonly bucketsDir: string;

  constructor(readonly root: string) {
    this.tmpDir = join(root, "tmp");
    this.bucketsDir = join(root, "buckets");
  }

  /** A fresh name in tmp/, on the same filesystem as everything else so rename() can move it. */
  tmpPath(): string {
    return join(this.tmpDir, randomBytes(16).toString("hex"));
  }

  bucketDir(bucket: string): string {
    if (!isValidBucketName(bucket)) throw new Error(`unsafe bucket name ${JSON.stringify(bucket)}`);
    return join(this.bucketsDir, bucket);
  }

  bucketFile(bucket: string): string {
    return join(this.bucketDir(bucket), BUCKET_FILE);
  }

  objectsDir(bucket: string): string {
    return join(this.bucketDir(bucket), OBJECTS_DIR);
  }

  objectFile(bucket: string, key: string): string {
    const hash = keyHash(key);
    return join(this.objectsDir(bucket), hash.slice(0, 2), hash);
  }

  uploadsDir(bucket: string): string {
    return join(this.bucketDir(bucket), UPLOADS_DIR);
  }

  uploadDir(bucket: string, uploadId: string): string {
    if (!isWellFormedUploadId(uploadId)) throw new Error(`unsafe upload id ${JSON.stringify(uploadId)}`);
    return join(this.uploadsDir(bucket), uploadId);
  }

  uploadFile(bucket: string, uploadId: string): string {
    return join(this.uploadDir(bucket, uploadId), UPLOAD_FILE);
  }

  blobsDir(bucket: string): string {
    return join(this.bucketDir(bucket), BLOBS_DIR);
  }

  blobDir(bucket: string, blobId: string): string {
    if (!BLOB_ID.test(blobId)) throw new Error(`unsafe blob id ${JSON.stringify(blobId)}`);
    return join(this.blobsDir(bucket), blobId);
  }

  partFile(bucket: string, uploadId: string, partNumber: number): string {
    if (!Number.isInteger(partNumber) || partNumber < 1) throw new Error(`bad part number ${partNumber}`);
    return join(this.uploadDir(bucket, uploadId), partFileName(partNumber - 1));
  }
}

export const BUCKET_FILE = "bucket.json";
export const OBJECTS_DIR = "objects";
export const UPLOADS_DIR = "uploads";
export const UPLOAD_FILE = "upload.json";
export const BLOBS_DIR = "blobs";
export const BLOB_ID = /^[0-9a-f]{32}$/;
export const PART_SUFFIX = ".part";
export const PART_FILE_NAME = /^(\d{5})\.part$/;
export const FAN_DIR_NAME = /^[0-9a-f]{2}$/;
export const OBJECT_FILE_NAME = /^[0-9a-f]{64}$/;

/** The file name of the part at `index` (from 0) of a blob, or of part number `index + 1` of an upload. */
export function partFileName(index: number): string {
  return `${String(index + 1).padStart(5, "0")}${PART_SUFFIX}`;
}

export function keyHash(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}
