import type { BucketInfo, ObjectAttributes, ObjectMeta } from "../backend/types.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { metadataHeaders } from "./metadata-headers.js";

/** The bucket the request names, or NoSuchBucket. */
export async function requireBucket(ctx: RequestContext): Promise<BucketInfo> {
  const name = ctx.bucket;
  const bucket = name === undefined ? undefined : await ctx.state.backend.getBucket(name);
  if (!bucket) throw new S3Error("NoSuchBucket", undefined, [["BucketName", name ?? ""]]);
  return bucket;
}

/** Representation headers S3 stores with an object and returns on GET and HEAD. */
export const STORED_HEADERS = [
  "cache-control",
  "content-disposition",
  "content-encoding",
  "content-language",
  "expires",
] as const;

const META = "x-amz-meta-";

/**
 * An object's attributes from a write request: content type, x-amz-meta-* (as headers or hoisted
 * into the signed query) and the stored representation headers. Checksums and ETag come from the body.
 */
export function attributesFromRequest(ctx: RequestContext): Omit<ObjectAttributes, "etag" | "checksums"> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of ctx.query) {
    const lower = name.toLowerCase();
    if (lower.startsWith(META)) metadata[lower.slice(META.length)] = value;
  }
  for (const [name, value] of ctx.headers)
    if (name.startsWith(META)) metadata[name.slice(META.length)] = value;
  checkMetadataSize(metadata);
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = ctx.headers.get(name);
    if (value !== undefined) headers[name] = name === "content-encoding" ? stripAwsChunked(value) : value;
  }
  if (headers["content-encoding"] === "") delete headers["content-encoding"];
  return {
    contentType: ctx.headers.get("content-type") ?? "binary/octet-stream",
    metadata,
    headers,
  };
}

/** S3's limit on user-defined metadata: the UTF-8 bytes of every name (without x-amz-meta-) and value. */
export const MAX_METADATA_BYTES = 2048;

export function checkMetadataSize(metadata: Record<string, string>): void {
  let size = 0;
  for (const [name, value] of Object.entries(metadata))
    size += Buffer.byteLength(name) + Buffer.byteLength(value);
  if (size > MAX_METADATA_BYTES) {
    throw new S3Error("MetadataTooLarge", undefined, [
      ["Size", String(size)],
      ["MaxSizeAllowed", String(MAX_METADATA_BYTES)],
    ]);
  }
}

/**
 * aws-chunked is a transfer detail, never part of the stored object's Content-Encoding; any other
 * value is stored exactly as sent ("deflate, gzip" keeps its space).
 */
export function stripAwsChunked(value: string): string {
  const codings = value.split(",").map((v) => v.trim());
  if (!codings.some((v) => v.toLowerCase() === "aws-chunked")) return value;
  return codings.filter((v) => v.toLowerCase() !== "aws-chunked" && v !== "").join(", ");
}

/** Response headers describing a stored object (GET, HEAD). */
export function objectResponseHeaders(meta: ObjectMeta, withChecksums: boolean): Record<string, string> {
  const out: Record<string, string> = {
    etag: meta.etag,
    "last-modified": meta.lastModified.toUTCString(),
    "content-type": meta.contentType,
    "accept-ranges": "bytes",
  };
  for (const [name, value] of Object.entries(meta.headers)) out[name] = value;
  Object.assign(out, metadataHeaders(meta.metadata));
  // x-amz-mp-parts-count is S3's answer to a read by partNumber only, never to a plain GET or HEAD.
  if (withChecksums)
    for (const [alg, value] of Object.entries(meta.checksums)) out[`x-amz-checksum-${alg}`] = value;
  return out;
}

/** If-None-Match / If-Match on writes, as S3 accepts them ("*" only for If-None-Match). */
export function writeConditions(ctx: RequestContext): { ifNoneMatch?: "*"; ifMatch?: string } {
  const out: { ifNoneMatch?: "*"; ifMatch?: string } = {};
  const ifNoneMatch = ctx.headers.get("if-none-match");
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== "*") {
      throw new S3Error("NotImplemented", "If-None-Match on writes only supports '*'", [
        ["Header", "If-None-Match"],
      ]);
    }
    out.ifNoneMatch = "*";
  }
  const ifMatch = ctx.headers.get("if-match");
  if (ifMatch !== undefined) out.ifMatch = ifMatch.trim();
  return out;
}

export function preconditionFailed(header: "If-None-Match" | "If-Match"): S3Error {
  return new S3Error("PreconditionFailed", undefined, [["Condition", header]]);
}
