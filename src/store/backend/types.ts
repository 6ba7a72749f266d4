import type { Readable } from "node:stream";

/** What the store keeps about an object besides its bytes. */
export interface ObjectMeta {
  key: string;
  size: number;
  /** Quoted, as S3 sends it: "\"<md5 hex>\"" or "\"<hex>-N\"" for multipart objects. */
  etag: string;
  lastModified: Date;
  contentType: string;
  /** Lower-case names without the x-amz-meta- prefix. */
  metadata: Record<string, string>;
  /** Base64 values by algorithm (crc32, crc32c, sha1, sha256), as S3 returns with x-amz-checksum-mode. */
  checksums: Record<string, string>;
  /** Other representation headers S3 stores and returns (cache-control, content-disposition, content-encoding, content-language, expires). */
  headers: Record<string, string>;
  /** Number of parts for multipart objects. */
  partsCount?: number;
  /** A multipart object's part sizes, in order (reads by partNumber). */
  partSizes?: number[];
  /** The id of the multipart upload whose completion made this object (a repeated Complete answers it). */
  completedUpload?: string;
  /**
   * The checksum algorithm a multipart upload was created with (x-amz-checksum-algorithm, lower
   * case), kept by the upload and by the object it completes.
   */
  checksumAlgorithm?: string;
  /** COMPOSITE or FULL_OBJECT, as the upload was created; absent for single-part objects (FULL_OBJECT). */
  checksumType?: "COMPOSITE" | "FULL_OBJECT";
  /** A multipart object's part checksums, in part order (GetObjectAttributes, reads by partNumber). */
  partChecksums?: Record<string, string>[];
}

/** What a writer of a new object supplies; size, etag and lastModified are computed by the store. */
export type ObjectAttributes = Omit<
  ObjectMeta,
  "key" | "size" | "lastModified" | "partSizes" | "completedUpload" | "partChecksums"
>;

export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export interface BucketInfo {
  name: string;
  createdAt: Date;
  cors?: CorsRule[];
}

/** Conditions checked atomically with the commit of a write (S3 conditional writes). */
export interface WriteConditions {
  /** "*": only if the key does not exist. */
  ifNoneMatch?: "*";
  /** Only if the current object's quoted ETag equals this (or "*": only if it exists). */
  ifMatch?: string;
}

/** Why a conditional commit was refused. */
export type CommitRefusal = "precondition-failed" | "no-such-bucket";

/**
 * A new object's bytes, staged until commit. Nothing is visible to readers before commit(), and a
 * crash at any moment leaves either the previous object or the new one, never a mix.
 */
export interface StagedObject {
  write(chunk: Uint8Array): Promise<void>;
  /** Bytes written so far. */
  readonly size: number;
  /** Atomically makes the staged bytes the object `key`, with these attributes. */
  commit(attributes: ObjectAttributes, conditions?: WriteConditions): Promise<ObjectMeta | CommitRefusal>;
  /** Discards the staged bytes. Safe to call after a failed commit or twice. */
  abort(): Promise<void>;
}

export interface ByteRange {
  /** Inclusive start and end byte offsets. */
  start: number;
  end: number;
}

export interface ListQuery {
  prefix?: string;
  /** Return only keys strictly greater than this (start-after / continuation / marker). */
  after?: string;
  limit: number;
}

export interface ListPage {
  /** Sorted by key in UTF-8 binary order, as S3 lists. */
  objects: ObjectMeta[];
  truncated: boolean;
}

export interface PartInfo {
  partNumber: number;
  size: number;
  /** Quoted md5 hex of the part. */
  etag: string;
  lastModified: Date;
  checksums: Record<string, string>;
}

export interface MultipartUpload {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: Date;
  attributes: ObjectAttributes;
}

/** Completion plan: the parts, in order, that make up the object. */
export interface CompletePart {
  partNumber: number;
  etag: string;
}

/** A storage backend behind the S3 API. Every backend passes test/contract/backend.contract.ts. */
export interface StorageBackend {
  init(): Promise<void>;
  close(): Promise<void>;

  listBuckets(): Promise<BucketInfo[]>;
  getBucket(name: string): Promise<BucketInfo | undefined>;
  createBucket(name: string): Promise<"created" | "exists">;
  deleteBucket(name: string): Promise<"deleted" | "not-empty" | "missing">;
  /** undefined removes the configuration. */
  setBucketCors(name: string, rules: CorsRule[] | undefined): Promise<boolean>;

  /** Starts a new object write in an existing bucket (undefined if the bucket does not exist). */
  stageObject(bucket: string, key: string): Promise<StagedObject | undefined>;
  headObject(bucket: string, key: string): Promise<ObjectMeta | undefined>;
  /** A stream of the object's bytes (or of the inclusive range), with the metadata of that same version. */
  readObject(
    bucket: string,
    key: string,
    range?: ByteRange,
  ): Promise<{ meta: ObjectMeta; body: Readable } | undefined>;
  deleteObject(bucket: string, key: string): Promise<boolean>;
  listObjects(bucket: string, query: ListQuery): Promise<ListPage>;

  createMultipartUpload(bucket: string, key: string, attributes: ObjectAttributes): Promise<MultipartUpload>;
  getMultipartUpload(bucket: string, key: string, uploadId: string): Promise<MultipartUpload | undefined>;
  /** Stages one part; parts replace earlier parts with the same number on commit. */
  stagePart(upload: MultipartUpload, partNumber: number): Promise<StagedPart>;
  listParts(upload: MultipartUpload): Promise<PartInfo[]>;
  listMultipartUploads(bucket: string): Promise<MultipartUpload[]>;
  /**
   * Atomically assembles the parts into the object and removes the upload. The caller has already
   * checked the plan (order, ETags, sizes) against listParts.
   */
  completeMultipartUpload(
    upload: MultipartUpload,
    parts: CompletePart[],
    etag: string,
    conditions?: WriteConditions,
    /** Object checksums computed from the parts' (S3's composite "<base64>-N" values). */
    checksums?: Record<string, string>,
    /** The assembled parts' checksums, in plan order, kept with the object. */
    partChecksums?: Record<string, string>[],
  ): Promise<ObjectMeta | CommitRefusal>;
  abortMultipartUpload(upload: MultipartUpload): Promise<void>;
}

export interface StagedPart {
  write(chunk: Uint8Array): Promise<void>;
  readonly size: number;
  commit(info: { etag: string; checksums: Record<string, string> }): Promise<PartInfo>;
  abort(): Promise<void>;
}

/** How hard writes try to survive power loss: "fsync" (default) or "none" for throwaway dev data. */
export type Durability = "fsync" | "none";
