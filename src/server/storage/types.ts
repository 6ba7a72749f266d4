import type { PostPolicy, PresignedRequest } from "../../core/index.js";
import type { CompletedPart } from "../../core/s3/requests.js";
import type { CredentialSource, CredentialsSetting, StorageCredentials } from "./credentials/types.js";

export interface StorageConfig {
  /** Any S3-compatible endpoint: AWS, MinIO, R2, Ceph RGW, the embedded store. */
  endpoint: string;
  region: string;
  bucket: string;
  /**
   * Keys (objects with more fields, as the AWS SDK's, are accepted), an async provider of temporary
   * credentials (`() => Promise<{ accessKeyId, secretAccessKey, sessionToken?, expiration? }>`, such
   * as @aws-sdk/credential-providers' fromNodeProviderChain()), or "aws" for the AWS SDK's default
   * chain (the optional package @aws-sdk/credential-providers). Providers are refreshed before expiry.
   */
  credentials: CredentialsSetting;
  forcePathStyle?: boolean;
  /** Set false for backends without browser POST uploads (Cloudflare R2). Default true. */
  supportsPost?: boolean;
  /**
   * A canned ACL signed into every upload (x-amz-acl on PUT URLs and CreateMultipartUpload, the
   * acl field of POST policies), so storage refuses an uploader's own x-amz-acl. Set "private" on
   * Ceph RGW, which honours an unsigned x-amz-acl on presigned PUTs. Default: none sent.
   */
  acl?: CannedAcl;
}

/** The canned ACLs storage.acl accepts: none of them lets anyone but the bucket's owner read. */
export const CANNED_ACLS = ["private", "bucket-owner-full-control"] as const;
export type CannedAcl = (typeof CANNED_ACLS)[number];

export interface ObjectHead {
  size: number;
  contentType: string;
  etag: string;
  lastModified: Date;
  /** x-amz-meta-* without the prefix, lower-case names. */
  metadata: Record<string, string>;
  /** Base64 checksums by algorithm, from x-amz-checksum-mode: ENABLED (empty when the backend returns none). */
  checksums: Record<string, string>;
  /**
   * The stored headers that change how the object is served or kept (Content-Encoding,
   * Cache-Control, Expires, ..., see STORED_SYSTEM_HEADERS), lower-case names; only those present.
   */
  system: Record<string, string>;
}

/**
 * When URLs signed now expire, and the credentials that sign them: several URLs signed from one
 * window share one expiry, which never outlives the credentials.
 */
export interface UrlWindow {
  credentials: StorageCredentials;
  /** The signing time (X-Amz-Date): the next whole second. */
  date: Date;
  /** Seconds: the lifetime asked for, capped at the credentials' remaining life. */
  expiresIn: number;
  /** date + expiresIn: the true expiry of every URL signed from this window. */
  expiresAt: Date;
}

/** A URL lifetime in seconds (capped at the credentials' remaining life), or a window from urlWindow(). */
export type UrlLifetime = number | UrlWindow;

/** Reads that must see exactly the object verification looked at. */
export interface ReadOptions {
  /** The ETag the object must still have: storage answers 412 (StorageError PreconditionFailed) otherwise. */
  ifMatch?: string;
}

/** A download's signed response-* overrides: the headers storage must answer with. */
export interface DownloadOverrides {
  expiresIn: UrlLifetime;
  responseContentDisposition?: string;
  responseContentType?: string;
  responseCacheControl?: string;
  responseContentEncoding?: string;
}

export interface CopyOptions {
  /** x-amz-copy-source-if-match: copy only if the source still has this ETag (412 otherwise). */
  ifMatch?: string;
  /**
   * Metadata directive REPLACE with exactly these headers (content-type, x-amz-meta-*): nothing
   * else of the source's (Content-Encoding, Cache-Control, ...) is carried over.
   */
  replaceHeaders?: Record<string, string>;
}

export interface StoragePart {
  partNumber: number;
  size: number;
  etag: string;
  /** Base64 SHA-256 storage verified the part against (absent when it was sent without one, or on backends that keep none). */
  sha256?: string;
  /** Base64 CRC64NVME and CRC32C storage kept for the part, likewise. */
  crc64nvme?: string;
  crc32c?: string;
}

export interface ListedObject {
  key: string;
  size: number;
  lastModified: Date;
}

export interface ListedUpload {
  key: string;
  uploadId: string;
  initiated: Date;
}

/** Thrown for storage responses that are errors: the S3 code, the HTTP status and the message. */
export class StorageError extends Error {
  override readonly name = "StorageError";
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What the gateway needs from S3. Presigning is local (no request); everything else is one signed
 * request with fetch. Errors are StorageError; network failures propagate as thrown errors.
 */
export interface StorageClient {
  readonly config: StorageConfig;
  /** Where the signing credentials come from (refreshed before they expire, when they do). */
  readonly credentials: CredentialSource;

  /**
   * The window for URLs signed now: `maxSeconds`, capped at the remaining life of the current
   * credentials (refreshed first when due). Throws CredentialsError when there are none to sign with.
   */
  urlWindow(maxSeconds: number): Promise<UrlWindow>;
  presignPut(key: string, headers: Record<string, string>, expiresIn: UrlLifetime): Promise<PresignedRequest>;
  presignPart(
    key: string,
    uploadId: string,
    partNumber: number,
    headers: Record<string, string>,
    expiresIn: UrlLifetime,
  ): Promise<PresignedRequest>;
  presignGet(key: string, options: DownloadOverrides): Promise<PresignedRequest>;
  presignPost(input: {
    key: string;
    fields: Record<string, string>;
    contentLengthRange: [number, number];
    expiresIn: UrlLifetime;
  }): Promise<PostPolicy>;

  /** undefined when the key does not exist. */
  head(key: string): Promise<ObjectHead | undefined>;
  /**
   * Bytes start..end inclusive (fewer if the object is shorter). Reads ask for
   * response-content-encoding=identity, so the bytes are the stored ones, never decoded.
   */
  getRange(key: string, start: number, end: number, options?: ReadOptions): Promise<Uint8Array>;
  /** The whole object as a stream (for hashing on backends that do not verify checksums); undecoded, as getRange. */
  getStream(key: string, options?: ReadOptions): Promise<ReadableStream<Uint8Array>>;
  delete(key: string): Promise<void>;
  /** Server-side copy; returns the new object's ETag ("" when storage gave none). */
  copy(sourceKey: string, destinationKey: string, options?: CopyOptions): Promise<{ etag: string }>;

  createMultipart(key: string, headers: Record<string, string>): Promise<string>;
  listParts(key: string, uploadId: string): Promise<StoragePart[]>;
  /** `parts` may carry their checksums and `headers` the whole-object one (see core/s3 completeMultipartUpload). */
  completeMultipart(
    key: string,
    uploadId: string,
    parts: CompletedPart[],
    options?: { ifNoneMatch?: boolean; headers?: Record<string, string> },
  ): Promise<{ etag: string }>;
  abortMultipart(key: string, uploadId: string): Promise<void>;

  listObjects(
    prefix: string,
    continuationToken?: string,
  ): Promise<{ objects: ListedObject[]; next?: string }>;
  listMultipartUploads(prefix: string): Promise<ListedUpload[]>;
}
