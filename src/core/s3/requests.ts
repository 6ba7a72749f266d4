/**
 * One small builder per S3 operation the gateway and CLI send. Each returns a plain description of
 * the request; `requestUrl` (requests-url.ts) places it on an endpoint and the caller signs and sends
 * it. Nothing here talks to the network or depends on a runtime.
 */
import { UpgateError } from "../errors.js";
import { encodePath } from "../sigv4/encode.js";
import { renderXmlDocument } from "./xml.js";

export type S3Method = "GET" | "HEAD" | "PUT" | "POST" | "DELETE";

export interface S3Request {
  /** S3's name for the operation, for error messages and logs. */
  operation: string;
  method: S3Method;
  bucket: string;
  /** The object key; undefined for bucket-level operations. */
  key?: string;
  /** Decoded names and values; "" for a valueless sub-resource (?uploads, ?cors). */
  query: Record<string, string>;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string;
  /** S3 refuses the request unless the body carries an integrity header (Content-MD5 or x-amz-checksum-*). */
  checksumRequired?: boolean;
}

function request(
  operation: string,
  method: S3Method,
  bucket: string,
  key: string | undefined,
  query: Record<string, string | number | undefined> = {},
  headers: Record<string, string> = {},
): S3Request {
  const q: Record<string, string> = {};
  for (const name in query) if (query[name] !== undefined) q[name] = String(query[name]);
  const out: S3Request = { operation, method, bucket, query: q, headers: lowerCase(headers) };
  if (key !== undefined) out.key = key;
  return out;
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) out[name.toLowerCase()] = headers[name]!;
  return out;
}

function wholeNumber(name: string, value: number | undefined, max = Number.MAX_SAFE_INTEGER): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= max)) {
    throw new UpgateError("SIGN_INVALID_INPUT", `${name} must be a whole number from 0 to ${max}`, {
      details: { [name]: value },
    });
  }
}

/** HeadObject; with checksum mode on, S3 returns the stored x-amz-checksum-* headers. */
export function headObject(bucket: string, key: string, options: { checksumMode?: boolean } = {}): S3Request {
  const headers: Record<string, string> =
    options.checksumMode === false ? {} : { "x-amz-checksum-mode": "ENABLED" };
  return request("HeadObject", "HEAD", bucket, key, {}, headers);
}

/**
 * GetObject, optionally bytes start..end inclusive (end omitted: to the end of the object).
 * `ifMatch`: 412 unless the object still has this ETag. `responseContentEncoding`: the
 * Content-Encoding the answer is sent with (a signed response-* override), so a stored one
 * ("gzip", say) cannot make the reader decode the bytes.
 */
export function getObject(
  bucket: string,
  key: string,
  options: {
    range?: { start: number; end?: number };
    ifMatch?: string;
    responseContentEncoding?: string;
  } = {},
): S3Request {
  const headers: Record<string, string> = {};
  if (options.ifMatch !== undefined) headers["if-match"] = options.ifMatch;
  const query: Record<string, string> = {};
  if (options.responseContentEncoding !== undefined) {
    query["response-content-encoding"] = options.responseContentEncoding;
  }
  if (options.range) {
    const { start, end } = options.range;
    wholeNumber("range.start", start);
    wholeNumber("range.end", end);
    if (end !== undefined && end < start) {
      throw new UpgateError("SIGN_INVALID_INPUT", `range end ${end} is before its start ${start}`);
    }
    headers.range = `bytes=${start}-${end ?? ""}`;
  }
  return request("GetObject", "GET", bucket, key, query, headers);
}

export function deleteObject(bucket: string, key: string): S3Request {
  return request("DeleteObject", "DELETE", bucket, key);
}

/** The x-amz-copy-source value: "bucket/key", URL-encoded with "/" kept, as the SDKs send it. */
export function copySource(bucket: string, key: string): string {
  return encodePath(`${bucket}/${key}`);
}

/** CopyObject (server-side, metadata copied unless `headers` sets x-amz-metadata-directive: REPLACE). */
export function copyObject(
  bucket: string,
  sourceKey: string,
  destinationKey: string,
  options: { sourceBucket?: string; headers?: Record<string, string> } = {},
): S3Request {
  return request(
    "CopyObject",
    "PUT",
    bucket,
    destinationKey,
    {},
    {
      ...options.headers,
      "x-amz-copy-source": copySource(options.sourceBucket ?? bucket, sourceKey),
    },
  );
}

/** CreateMultipartUpload; content-type, x-amz-meta-* and checksum algorithm go in `headers`. */
export function createMultipartUpload(
  bucket: string,
  key: string,
  headers: Record<string, string> = {},
): S3Request {
  return request("CreateMultipartUpload", "POST", bucket, key, { uploads: "" }, headers);
}

export function listParts(
  bucket: string,
  key: string,
  uploadId: string,
  options: { partNumberMarker?: number; maxParts?: number } = {},
): S3Request {
  wholeNumber("partNumberMarker", options.partNumberMarker, 10_000);
  wholeNumber("maxParts", options.maxParts, 1000);
  return request("ListParts", "GET", bucket, key, {
    uploadId,
    "part-number-marker": options.partNumberMarker,
    "max-parts": options.maxParts,
  });
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
  /** The part's checksum as storage kept it (COMPOSITE uploads must list every part's): element name to base64. */
  checksum?: { element: "ChecksumSHA256" | "ChecksumCRC64NVME" | "ChecksumCRC32C"; value: string };
}

/**
 * CompleteMultipartUpload: parts sorted by number, ETags quoted, each with its checksum when given;
 * If-None-Match: * makes it write-once; `headers` carries the whole-object checksum
 * (x-amz-checksum-<algorithm> with x-amz-checksum-type: FULL_OBJECT).
 */
export function completeMultipartUpload(
  bucket: string,
  key: string,
  uploadId: string,
  parts: readonly CompletedPart[],
  options: { ifNoneMatch?: boolean; headers?: Record<string, string> } = {},
): S3Request {
  if (parts.length === 0) {
    throw new UpgateError("SIGN_INVALID_INPUT", "CompleteMultipartUpload needs at least one part");
  }
  for (const p of parts) wholeNumber("partNumber", p.partNumber, 10_000);
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  const body = renderXmlDocument("CompleteMultipartUpload", {
    Part: sorted.map((p) => ({
      PartNumber: p.partNumber,
      ETag: /^".*"$/.test(p.etag) ? p.etag : `"${p.etag}"`,
      ...(p.checksum && { [p.checksum.element]: p.checksum.value }),
    })),
  });
  const headers: Record<string, string> = { ...options.headers, "content-type": "application/xml" };
  if (options.ifNoneMatch) headers["if-none-match"] = "*";
  return { ...request("CompleteMultipartUpload", "POST", bucket, key, { uploadId }, headers), body };
}

export function abortMultipartUpload(bucket: string, key: string, uploadId: string): S3Request {
  return request("AbortMultipartUpload", "DELETE", bucket, key, { uploadId });
}

/** ListObjectsV2 with encoding-type=url, so any key survives the XML (decode keys if the answer says so). */
export function listObjectsV2(
  bucket: string,
  options: {
    prefix?: string;
    continuationToken?: string;
    startAfter?: string;
    delimiter?: string;
    maxKeys?: number;
  } = {},
): S3Request {
  wholeNumber("maxKeys", options.maxKeys, 1000);
  return request("ListObjectsV2", "GET", bucket, undefined, {
    "list-type": 2,
    "encoding-type": "url",
    prefix: options.prefix,
    "continuation-token": options.continuationToken,
    "start-after": options.startAfter,
    delimiter: options.delimiter,
    "max-keys": options.maxKeys,
  });
}

export function listMultipartUploads(
  bucket: string,
  options: { prefix?: string; keyMarker?: string; uploadIdMarker?: string; maxUploads?: number } = {},
): S3Request {
  wholeNumber("maxUploads", options.maxUploads, 1000);
  return request("ListMultipartUploads", "GET", bucket, undefined, {
    uploads: "",
    "encoding-type": "url",
    prefix: options.prefix,
    "key-marker": options.keyMarker,
    "upload-id-marker": options.uploadIdMarker,
    "max-uploads": options.maxUploads,
  });
}

export interface S3CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: Array<"GET" | "PUT" | "POST" | "DELETE" | "HEAD">;
  allowedHeaders?: string[];
  exposeHeaders?: string[];
  maxAgeSeconds?: number;
}

/** PutBucketCors. S3 requires a body checksum here: the sender adds Content-MD5 (see checksumRequired). */
export function putBucketCors(bucket: string, rules: readonly S3CorsRule[]): S3Request {
  if (rules.length === 0 || rules.length > 100) {
    throw new UpgateError("SIGN_INVALID_INPUT", "a CORS configuration has 1 to 100 rules");
  }
  const body = renderXmlDocument("CORSConfiguration", {
    CORSRule: rules.map((r) => ({
      ID: r.id,
      AllowedOrigin: r.allowedOrigins,
      AllowedMethod: r.allowedMethods,
      AllowedHeader: r.allowedHeaders,
      ExposeHeader: r.exposeHeaders,
      MaxAgeSeconds: r.maxAgeSeconds,
    })),
  });
  const req = request(
    "PutBucketCors",
    "PUT",
    bucket,
    undefined,
    { cors: "" },
    {
      "content-type": "application/xml",
    },
  );
  return { ...req, body, checksumRequired: true };
}

export function getBucketCors(bucket: string): S3Request {
  return request("GetBucketCors", "GET", bucket, undefined, { cors: "" });
}
