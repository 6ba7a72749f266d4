import { describe, expect, it } from "vitest";
import { S3Error } from "./errors.js";
import { parseRoute, resolveOperation } from "./router.js";

const op = (method: string, target: string, headers: Record<string, string> = {}) =>
  resolveOperation(method, parseRoute(target, "127.0.0.1:9000", undefined), new Map(Object.entries(headers)));

describe("parseRoute", () => {
  it("splits path-style targets, decoding once and keeping dot segments and double slashes", () => {
    expect(parseRoute("/b/a%20b/..//c%2Bd+e", undefined, undefined)).toMatchObject({
      bucket: "b",
      key: "a b/..//c+d+e",
    });
    expect(parseRoute("/b//lead", undefined, undefined).key).toBe("/lead");
    expect(parseRoute("/b/", undefined, undefined)).toMatchObject({ bucket: "b", key: undefined });
    expect(parseRoute("/", undefined, undefined)).toMatchObject({ bucket: undefined, key: undefined });
  });

  it("reads the bucket from the host under the configured domain", () => {
    expect(parseRoute("/k/x", "photos.s3.local:9000", "s3.local")).toMatchObject({
      bucket: "photos",
      key: "k/x",
    });
    expect(parseRoute("/photos/k", "other.host", "s3.local")).toMatchObject({ bucket: "photos", key: "k" });
  });

  it("decodes the query, first value winning", () => {
    const route = parseRoute("/b/k?uploadId=a%2Fb&partNumber=3&partNumber=4", undefined, undefined);
    expect(route.query.get("uploadId")).toBe("a/b");
    expect(route.query.get("partNumber")).toBe("3");
  });

  it("refuses bad percent-escapes with InvalidURI", () => {
    expect(() => parseRoute("/b/%zz", undefined, undefined)).toThrow(S3Error);
    try {
      parseRoute("/b/%E0%A4%A", undefined, undefined);
    } catch (err) {
      expect((err as S3Error).code).toBe("InvalidURI");
    }
  });
});

describe("resolveOperation", () => {
  it.each([
    ["GET", "/", {}, "ListBuckets"],
    ["PUT", "/b", {}, "CreateBucket"],
    ["PUT", "/b?cors", {}, "PutBucketCors"],
    ["GET", "/b?cors", {}, "GetBucketCors"],
    ["DELETE", "/b?cors", {}, "DeleteBucketCors"],
    ["HEAD", "/b", {}, "HeadBucket"],
    ["DELETE", "/b", {}, "DeleteBucket"],
    ["GET", "/b?list-type=2", {}, "ListObjects"],
    ["GET", "/b?uploads", {}, "ListMultipartUploads"],
    ["GET", "/b?location", {}, "GetBucketLocation"],
    ["POST", "/b?delete", {}, "DeleteObjects"],
    ["POST", "/b", { "content-type": "multipart/form-data; boundary=x" }, "PostObject"],
    ["PUT", "/b/k", {}, "PutObject"],
    ["PUT", "/b/k", { "x-amz-copy-source": "/b/j" }, "CopyObject"],
    ["PUT", "/b/k?partNumber=1&uploadId=u", {}, "UploadPart"],
    ["GET", "/b/k", {}, "GetObject"],
    ["GET", "/b/k?uploadId=u", {}, "ListParts"],
    ["HEAD", "/b/k", {}, "HeadObject"],
    ["DELETE", "/b/k", {}, "DeleteObject"],
    ["DELETE", "/b/k?uploadId=u", {}, "AbortMultipartUpload"],
    ["POST", "/b/k?uploads", {}, "CreateMultipartUpload"],
    ["POST", "/b/k?uploadId=u", {}, "CompleteMultipartUpload"],
    ["OPTIONS", "/b/k", {}, "Preflight"],
  ])("%s %s → %s", (method, target, headers, expected) => {
    expect(op(method, target, headers as Record<string, string>)).toBe(expected);
  });

  it.each([
    ["GET", "/b?acl", "NotImplemented"],
    ["PUT", "/b/k?tagging", "NotImplemented"],
    ["PATCH", "/b/k", "MethodNotAllowed"],
    ["POST", "/b/k", "MethodNotAllowed"],
    ["POST", "/b", "MethodNotAllowed"],
  ])("%s %s is refused with %s", (method, target, code) => {
    expect(() => op(method, target)).toThrow(expect.objectContaining({ code }));
  });

  it("routes a part PUT with x-amz-copy-source to UploadPartCopy", () => {
    expect(op("PUT", "/b/k?partNumber=1&uploadId=u", { "x-amz-copy-source": "/b/j" })).toBe("UploadPartCopy");
  });

  it("answers GET ?versions on a bucket (ListObjectVersions) and refuses it elsewhere", () => {
    expect(op("GET", "/b?versions")).toBe("ListObjectVersions");
    expect(() => op("GET", "/b/k?versions")).toThrow(expect.objectContaining({ code: "NotImplemented" }));
    expect(() => op("PUT", "/b?versions")).toThrow(expect.objectContaining({ code: "NotImplemented" }));
  });
});
