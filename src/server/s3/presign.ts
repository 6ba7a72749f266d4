/** Local signing of the URLs browsers use: no request is made to storage. */
import { createPostPolicy, type PostPolicy } from "../../core/sigv4/post-policy.js";
import { type PresignedRequest, type PresignInput, presignUrl } from "../../core/sigv4/presign.js";
import { type DownloadOverrides, type StorageConfig, StorageError, type UrlWindow } from "./types.js";

/**
 * presignUrl's input for one object, built as a single literal: spreading a target object into
 * another literal and adding fields made every presign about twice as slow (measured).
 */
function presignInput(
  config: StorageConfig,
  key: string,
  window: UrlWindow,
  method: "PUT" | "GET",
  headers: Record<string, string> | undefined,
  query: Record<string, string | number> | undefined,
): PresignInput {
  return {
    endpoint: config.endpoint,
    bucket: config.bucket,
    key,
    forcePathStyle: config.forcePathStyle ?? false,
    region: config.region,
    credentials: window.credentials,
    expiresIn: window.expiresIn,
    date: window.date,
    method,
    headers,
    // Headers given are signed as headers (see presignWrite).
    hoistHeaders: false,
    query,
  };
}

/**
 * A presigned PUT (or UploadPart, with `query`) that signs exactly the headers given, as headers:
 * metadata is not hoisted into the query, since only signed headers are honoured by every
 * S3-compatible store (AWS, MinIO, R2, Ceph, ours). The client must send them all, unchanged.
 */
export function presignWrite(
  config: StorageConfig,
  key: string,
  headers: Record<string, string>,
  window: UrlWindow,
  query?: Record<string, string | number>,
): Promise<PresignedRequest> {
  return presignUrl(presignInput(config, key, window, "PUT", headers, query));
}

const OVERRIDE_PARAMS = [
  ["responseContentDisposition", "response-content-disposition"],
  ["responseContentType", "response-content-type"],
  ["responseCacheControl", "response-cache-control"],
  ["responseContentEncoding", "response-content-encoding"],
] as const;

/** A presigned GET; response-* overrides are signed query parameters. */
export function presignRead(
  config: StorageConfig,
  key: string,
  options: Omit<DownloadOverrides, "expiresIn">,
  window: UrlWindow,
): Promise<PresignedRequest> {
  const query: Record<string, string> = {};
  for (const [option, param] of OVERRIDE_PARAMS) {
    const value = options[option];
    if (value !== undefined) query[param] = value;
  }
  return presignUrl(presignInput(config, key, window, "GET", undefined, query));
}

/**
 * A browser POST form for one exact key. Every field (Content-Type, x-amz-meta-*,
 * x-amz-checksum-sha256) gets an exact-match condition, and content-length-range bounds the file.
 */
export async function presignForm(
  config: StorageConfig,
  input: {
    key: string;
    fields: Record<string, string>;
    contentLengthRange: [number, number];
  },
  window: UrlWindow,
): Promise<PostPolicy> {
  if (config.supportsPost === false) {
    throw new StorageError(
      "NotImplemented",
      501,
      `storage at ${config.endpoint} is configured without browser POST uploads (supportsPost: false)`,
    );
  }
  const [min, max] = input.contentLengthRange;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
    throw new StorageError(
      "InvalidArgument",
      400,
      `contentLengthRange must be two whole numbers with 0 <= min <= max, got [${min}, ${max}]`,
    );
  }
  return createPostPolicy({
    endpoint: config.endpoint,
    bucket: config.bucket,
    forcePathStyle: config.forcePathStyle ?? false,
    key: input.key,
    region: config.region,
    credentials: window.credentials,
    expiresIn: window.expiresIn,
    date: window.date,
    fields: input.fields,
    conditions: [["content-length-range", min, max]],
  });
}
