/** Reading S3 answers into the shapes StorageClient returns. */
import type { S3CorsRule } from "../../core/s3/requests.js";
import {
  type ListedObject,
  type ListedUpload,
  type ObjectHead,
  StorageError,
  type StoragePart,
} from "./types.js";
import { children, childText, type XmlElement } from "./xml-read.js";

const META = "x-amz-meta-";
const CHECKSUM = "x-amz-checksum-";
/** x-amz-checksum-* headers that are not checksums. */
const NOT_CHECKSUMS = new Set(["type", "mode", "algorithm"]);

/**
 * Stored headers that change how an object is served (representation headers S3 keeps from the
 * upload, the website redirect) or kept (tags, object lock, storage class). Whoever holds a signed
 * URL can send the unsigned ones, so verification compares them with what the gateway planned.
 */
export const STORED_SYSTEM_HEADERS: ReadonlySet<string> = new Set([
  "cache-control",
  "content-disposition",
  "content-encoding",
  "content-language",
  "expires",
  "x-amz-website-redirect-location",
  "x-amz-tagging-count",
  "x-amz-object-lock-mode",
  "x-amz-object-lock-retain-until-date",
  "x-amz-object-lock-legal-hold",
  "x-amz-storage-class",
]);

/** HeadObject's headers: size, type, ETag, metadata, the stored checksums (base64 by algorithm) and system headers. */
export function objectHead(headers: Headers): ObjectHead {
  const metadata: Record<string, string> = {};
  const checksums: Record<string, string> = {};
  const system: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (STORED_SYSTEM_HEADERS.has(name)) system[name] = value;
    else if (name.startsWith(META)) metadata[name.slice(META.length)] = value;
    else if (name.startsWith(CHECKSUM) && !NOT_CHECKSUMS.has(name.slice(CHECKSUM.length))) {
      checksums[name.slice(CHECKSUM.length)] = value;
    }
  });
  const modified = headers.get("last-modified");
  return {
    size: Number(headers.get("content-length") ?? Number.NaN),
    contentType: headers.get("content-type") ?? "",
    etag: headers.get("etag") ?? "",
    lastModified: modified ? new Date(modified) : new Date(Number.NaN),
    metadata,
    checksums,
    system,
  };
}

/**
 * Keys come percent-encoded (space as "+") when the answer says encoding-type=url was applied. A
 * bad escape is a malformed answer (StorageError), never a URIError escaping the listing.
 */
function keyDecoder(doc: XmlElement): (text: string) => string {
  if (childText(doc, "EncodingType")?.toLowerCase() !== "url") return (text) => text;
  return (text) => {
    try {
      return decodeURIComponent(text.replace(/\+/g, " "));
    } catch {
      throw new StorageError(
        "MalformedResponse",
        200,
        `a listed key is not valid URL encoding: ${JSON.stringify(text.slice(0, 100))}`,
      );
    }
  };
}

const number = (text: string | undefined): number => (text === undefined ? Number.NaN : Number(text));
const date = (text: string | undefined): Date => new Date(text ?? Number.NaN);

export function parseListParts(doc: XmlElement): { parts: StoragePart[]; next?: number } {
  const parts = children(doc, "Part").map((p) => {
    const sha256 = childText(p, "ChecksumSHA256");
    const crc64nvme = childText(p, "ChecksumCRC64NVME");
    const crc32c = childText(p, "ChecksumCRC32C");
    return {
      partNumber: number(childText(p, "PartNumber")),
      size: number(childText(p, "Size")),
      etag: childText(p, "ETag") ?? "",
      ...(sha256 ? { sha256 } : {}),
      ...(crc64nvme ? { crc64nvme } : {}),
      ...(crc32c ? { crc32c } : {}),
    };
  });
  const truncated = childText(doc, "IsTruncated") === "true";
  const next = number(childText(doc, "NextPartNumberMarker"));
  return truncated && Number.isInteger(next) ? { parts, next } : { parts };
}

export function parseListObjects(doc: XmlElement): { objects: ListedObject[]; next?: string } {
  const decode = keyDecoder(doc);
  const objects = children(doc, "Contents").map((c) => ({
    key: decode(childText(c, "Key") ?? ""),
    size: number(childText(c, "Size")),
    lastModified: date(childText(c, "LastModified")),
  }));
  const next = childText(doc, "NextContinuationToken");
  return childText(doc, "IsTruncated") === "true" && next ? { objects, next } : { objects };
}

export function parseListUploads(doc: XmlElement): {
  uploads: ListedUpload[];
  next?: { keyMarker: string; uploadIdMarker: string };
} {
  const decode = keyDecoder(doc);
  const uploads = children(doc, "Upload").map((u) => ({
    key: decode(childText(u, "Key") ?? ""),
    uploadId: childText(u, "UploadId") ?? "",
    initiated: date(childText(u, "Initiated")),
  }));
  const keyMarker = childText(doc, "NextKeyMarker");
  const uploadIdMarker = childText(doc, "NextUploadIdMarker") ?? "";
  if (childText(doc, "IsTruncated") !== "true" || !keyMarker) return { uploads };
  return { uploads, next: { keyMarker: decode(keyMarker), uploadIdMarker } };
}

const METHODS = new Set(["GET", "PUT", "POST", "DELETE", "HEAD"]);

export function parseCors(doc: XmlElement): S3CorsRule[] {
  return children(doc, "CORSRule").map((r) => {
    const texts = (name: string) => children(r, name).map((e) => (typeof e === "string" ? e : ""));
    const rule: S3CorsRule = {
      allowedOrigins: texts("AllowedOrigin"),
      allowedMethods: texts("AllowedMethod").filter((m): m is S3CorsRule["allowedMethods"][number] =>
        METHODS.has(m),
      ),
    };
    const id = childText(r, "ID");
    if (id !== undefined) rule.id = id;
    if (texts("AllowedHeader").length > 0) rule.allowedHeaders = texts("AllowedHeader");
    if (texts("ExposeHeader").length > 0) rule.exposeHeaders = texts("ExposeHeader");
    const maxAge = childText(r, "MaxAgeSeconds");
    if (maxAge !== undefined) rule.maxAgeSeconds = Number(maxAge);
    return rule;
  });
}

/** Element names that repeat in the documents above. */
export const REPEATED = [
  "Part",
  "Contents",
  "CommonPrefixes",
  "Upload",
  "CORSRule",
  "AllowedOrigin",
  "AllowedMethod",
  "AllowedHeader",
  "ExposeHeader",
] as const;
