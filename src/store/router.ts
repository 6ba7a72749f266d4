import { decodeComponent, parseQuery, splitTarget } from "../core/index.js";
import { S3Error } from "./errors.js";

export type Operation =
  | "ListBuckets"
  | "CreateBucket"
  | "HeadBucket"
  | "DeleteBucket"
  | "GetBucketLocation"
  | "PutBucketCors"
  | "GetBucketCors"
  | "DeleteBucketCors"
  | "ListObjects"
  | "ListObjectVersions"
  | "ListMultipartUploads"
  | "DeleteObjects"
  | "PostObject"
  | "PutObject"
  | "CopyObject"
  | "GetObject"
  | "GetObjectAttributes"
  | "HeadObject"
  | "DeleteObject"
  | "CreateMultipartUpload"
  | "UploadPart"
  | "UploadPartCopy"
  | "ListParts"
  | "CompleteMultipartUpload"
  | "AbortMultipartUpload"
  | "Preflight"
  | "Sts";

export interface Route {
  bucket: string | undefined;
  key: string | undefined;
  query: Map<string, string>;
}

/** Splits the request target into bucket, key and query (path-style, or virtual-host under `domain`). */
export function parseRoute(target: string, host: string | undefined, domain: string | undefined): Route {
  const { path, query: rawQuery } = splitTarget(target);
  const decodedPath = decodeComponent(path);
  const pairs = parseQuery(rawQuery);
  if (decodedPath === undefined || pairs === undefined || !decodedPath.startsWith("/"))
    throw new S3Error("InvalidURI");
  const query = new Map<string, string>();
  for (const [k, v] of pairs) if (!query.has(k)) query.set(k, v);

  const hostname = (host ?? "").replace(/:\d+$/, "").toLowerCase();
  if (domain && hostname.endsWith(`.${domain}`)) {
    const bucket = hostname.slice(0, -domain.length - 1);
    const key = decodedPath.slice(1);
    return { bucket, key: key === "" ? undefined : key, query };
  }
  const rest = decodedPath.slice(1);
  if (rest === "") return { bucket: undefined, key: undefined, query };
  const slash = rest.indexOf("/");
  if (slash === -1) return { bucket: rest, key: undefined, query };
  const key = rest.slice(slash + 1);
  return { bucket: rest.slice(0, slash), key: key === "" ? undefined : key, query };
}

const UNSUPPORTED = [
  "acl",
  "policy",
  "lifecycle",
  "versioning",
  "website",
  "tagging",
  "notification",
  "replication",
  "encryption",
  "logging",
  "object-lock",
  "retention",
  "legal-hold",
  "torrent",
  "versions",
  "select",
  "restore",
  "attributes",
];

function notImplemented(what: string): S3Error {
  return new S3Error("NotImplemented", `${what} is not implemented by the upgate store`);
}

/** S3 picks the operation from the method, whether a bucket and key are present, and subresources. */
export function resolveOperation(method: string, route: Route, headers: Map<string, string>): Operation {
  const contentType = headers.get("content-type");
  const q = route.query;
  const listingVersions = method === "GET" && route.bucket !== undefined && route.key === undefined;
  for (const name of UNSUPPORTED) {
    // ListObjectVersions on a bucket is answered (every bucket here is unversioned).
    if (name === "versions" && listingVersions) continue;
    // GetObjectAttributes is answered on an object.
    if (name === "attributes" && method === "GET" && route.key !== undefined) continue;
    if (q.has(name)) throw notImplemented(`The ?${name} subresource`);
  }
  if (method === "OPTIONS") return "Preflight";
  if (!route.bucket) {
    if (method === "GET") return "ListBuckets";
    // STS shares the endpoint, as on Ceph RGW: a form POSTed to the root.
    if (method === "POST" && /^application\/x-www-form-urlencoded/i.test(contentType ?? "")) return "Sts";
    throw new S3Error("MethodNotAllowed");
  }
  if (route.key === undefined) {
    switch (method) {
      case "PUT":
        return q.has("cors") ? "PutBucketCors" : "CreateBucket";
      case "HEAD":
        return "HeadBucket";
      case "DELETE":
        return q.has("cors") ? "DeleteBucketCors" : "DeleteBucket";
      case "GET":
        if (q.has("cors")) return "GetBucketCors";
        if (q.has("uploads")) return "ListMultipartUploads";
        if (q.has("location")) return "GetBucketLocation";
        if (q.has("versions")) return "ListObjectVersions";
        return "ListObjects";
      case "POST":
        if (q.has("delete")) return "DeleteObjects";
        if (/^multipart\/form-data/i.test(contentType ?? "")) return "PostObject";
        throw new S3Error("MethodNotAllowed");
      default:
        throw new S3Error("MethodNotAllowed");
    }
  }
  const uploadId = q.has("uploadId");
  switch (method) {
    case "PUT":
      if (uploadId || q.has("partNumber")) {
        return headers.has("x-amz-copy-source") ? "UploadPartCopy" : "UploadPart";
      }
      return headers.has("x-amz-copy-source") ? "CopyObject" : "PutObject";
    case "GET":
      if (uploadId) return "ListParts";
      return q.has("attributes") ? "GetObjectAttributes" : "GetObject";
    case "HEAD":
      return "HeadObject";
    case "DELETE":
      return uploadId ? "AbortMultipartUpload" : "DeleteObject";
    case "POST":
      if (q.has("uploads")) return "CreateMultipartUpload";
      if (uploadId) return "CompleteMultipartUpload";
      throw new S3Error("MethodNotAllowed");
    default:
      throw new S3Error("MethodNotAllowed");
  }
}
