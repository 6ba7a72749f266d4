import { describe, expect, it } from "vitest";
import { UpgateError } from "../errors.js";
import {
  abortMultipartUpload,
  completeMultipartUpload,
  copyObject,
  copySource,
  createMultipartUpload,
  deleteObject,
  getBucketCors,
  getObject,
  headObject,
  listMultipartUploads,
  listObjectsV2,
  listParts,
  putBucketCors,
} from "./requests.js";
import { requestUrl } from "./requests-url.js";

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

describe("object builders", () => {
  it("HeadObject asks for checksums unless told not to", () => {
    expect(headObject("b", "k/1.png")).toEqual({
      operation: "HeadObject",
      method: "HEAD",
      bucket: "b",
      key: "k/1.png",
      query: {},
      headers: { "x-amz-checksum-mode": "ENABLED" },
    });
    expect(headObject("b", "k", { checksumMode: false }).headers).toEqual({});
  });

  it("GetObject sends an inclusive byte range, open-ended when end is omitted", () => {
    expect(getObject("b", "k", { range: { start: 0, end: 4099 } }).headers).toEqual({
      range: "bytes=0-4099",
    });
    expect(getObject("b", "k", { range: { start: 10 } }).headers.range).toBe("bytes=10-");
    expect(getObject("b", "k")).toMatchObject({ method: "GET", headers: {} });
    expect(() => getObject("b", "k", { range: { start: 5, end: 4 } })).toThrow(/before its start/);
    expect(() => getObject("b", "k", { range: { start: -1 } })).toThrow(UpgateError);
    expect(() => getObject("b", "k", { range: { start: 1.5 } })).toThrow(/whole number/);
  });

  it("GetObject can require an ETag (If-Match) and fix the answer's Content-Encoding", () => {
    const req = getObject("b", "k", { ifMatch: '"abc"', responseContentEncoding: "identity" });
    expect(req.headers).toEqual({ "if-match": '"abc"' });
    expect(req.query).toEqual({ "response-content-encoding": "identity" });
  });

  it("DeleteObject is a bare DELETE", () => {
    expect(deleteObject("b", "a b")).toMatchObject({ method: "DELETE", key: "a b", query: {}, headers: {} });
  });

  it("CopyObject names the encoded source and keeps extra headers", () => {
    expect(copySource("b", "dir/a b+c!.png")).toBe("b/dir/a%20b%2Bc%21.png");
    const req = copyObject("b", "src/k", "quarantine/k", {
      headers: { "X-Amz-Metadata-Directive": "COPY" },
    });
    expect(req).toMatchObject({ operation: "CopyObject", method: "PUT", bucket: "b", key: "quarantine/k" });
    expect(req.headers).toEqual({ "x-amz-copy-source": "b/src/k", "x-amz-metadata-directive": "COPY" });
    expect(copyObject("b", "k", "k2", { sourceBucket: "other" }).headers["x-amz-copy-source"]).toBe(
      "other/k",
    );
  });
});

describe("multipart builders", () => {
  it("CreateMultipartUpload posts ?uploads with the object's headers", () => {
    const req = createMultipartUpload("b", "k", {
      "Content-Type": "video/mp4",
      "x-amz-meta-upgate-user": "u1",
    });
    expect(req).toMatchObject({ method: "POST", query: { uploads: "" } });
    expect(req.headers).toEqual({ "content-type": "video/mp4", "x-amz-meta-upgate-user": "u1" });
  });

  it("ListParts pages with part-number-marker and max-parts", () => {
    expect(listParts("b", "k", "U1").query).toEqual({ uploadId: "U1" });
    expect(listParts("b", "k", "U1", { partNumberMarker: 1000, maxParts: 10 }).query).toEqual({
      uploadId: "U1",
      "part-number-marker": "1000",
      "max-parts": "10",
    });
    expect(() => listParts("b", "k", "U1", { maxParts: 1001 })).toThrow(/maxParts/);
  });

  it("CompleteMultipartUpload renders sorted parts with quoted ETags and If-None-Match", () => {
    const req = completeMultipartUpload(
      "b",
      "k",
      "U1",
      [
        { partNumber: 2, etag: "bbb" },
        { partNumber: 1, etag: '"aaa"' },
      ],
      { ifNoneMatch: true },
    );
    expect(req).toMatchObject({ method: "POST", query: { uploadId: "U1" } });
    expect(req.headers).toEqual({ "content-type": "application/xml", "if-none-match": "*" });
    expect(req.body).toBe(
      `${XML_DECL}<CompleteMultipartUpload ${NS}>` +
        "<Part><PartNumber>1</PartNumber><ETag>&quot;aaa&quot;</ETag></Part>" +
        "<Part><PartNumber>2</PartNumber><ETag>&quot;bbb&quot;</ETag></Part>" +
        "</CompleteMultipartUpload>",
    );
    expect(completeMultipartUpload("b", "k", "U", [{ partNumber: 1, etag: "x" }]).headers).not.toHaveProperty(
      "if-none-match",
    );
    expect(() => completeMultipartUpload("b", "k", "U", [])).toThrow(/at least one part/);
    expect(() => completeMultipartUpload("b", "k", "U", [{ partNumber: 10_001, etag: "x" }])).toThrow(
      /partNumber/,
    );
  });

  it("AbortMultipartUpload deletes ?uploadId", () => {
    expect(abortMultipartUpload("b", "k", "U1")).toMatchObject({
      method: "DELETE",
      query: { uploadId: "U1" },
    });
  });
});

describe("bucket builders", () => {
  it("ListObjectsV2 asks for url encoding and leaves out unset options", () => {
    const req = listObjectsV2("b", { prefix: "images/", continuationToken: "t/+=" });
    expect(req.key).toBeUndefined();
    expect(req.query).toEqual({
      "list-type": "2",
      "encoding-type": "url",
      prefix: "images/",
      "continuation-token": "t/+=",
    });
    expect(listObjectsV2("b", { maxKeys: 5, startAfter: "a", delimiter: "/" }).query).toMatchObject({
      "max-keys": "5",
      "start-after": "a",
      delimiter: "/",
    });
  });

  it("ListMultipartUploads pages with key-marker and upload-id-marker", () => {
    expect(listMultipartUploads("b", { prefix: "p/", keyMarker: "k", uploadIdMarker: "U" }).query).toEqual({
      uploads: "",
      "encoding-type": "url",
      prefix: "p/",
      "key-marker": "k",
      "upload-id-marker": "U",
    });
  });

  it("PutBucketCors renders the rules and asks for a body checksum", () => {
    const req = putBucketCors("b", [
      {
        id: "upgate",
        allowedOrigins: ["https://app.example"],
        allowedMethods: ["PUT", "POST"],
        allowedHeaders: ["*"],
        exposeHeaders: ["ETag"],
        maxAgeSeconds: 3000,
      },
      { allowedOrigins: ["*"], allowedMethods: ["GET"] },
    ]);
    expect(req).toMatchObject({ method: "PUT", query: { cors: "" }, checksumRequired: true });
    expect(req.body).toBe(
      `${XML_DECL}<CORSConfiguration ${NS}>` +
        "<CORSRule><ID>upgate</ID><AllowedOrigin>https://app.example</AllowedOrigin>" +
        "<AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedHeader>*</AllowedHeader>" +
        "<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>" +
        "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>" +
        "</CORSConfiguration>",
    );
    expect(() => putBucketCors("b", [])).toThrow(/1 to 100 rules/);
  });

  it("GetBucketCors reads ?cors", () => {
    expect(getBucketCors("b")).toMatchObject({ method: "GET", query: { cors: "" }, headers: {} });
  });
});

describe("requestUrl", () => {
  it("uses path style for IP endpoints and when forced", () => {
    expect(requestUrl({ endpoint: "http://127.0.0.1:9000" }, headObject("uploads", "a/b c.png"))).toBe(
      "http://127.0.0.1:9000/uploads/a/b%20c.png",
    );
    expect(
      requestUrl({ endpoint: "https://s3.example.com", forcePathStyle: true }, listObjectsV2("uploads")),
    ).toBe("https://s3.example.com/uploads?list-type=2&encoding-type=url");
  });

  it("uses virtual-host style for DNS-label buckets on host names", () => {
    expect(requestUrl({ endpoint: "https://s3.example.com" }, getObject("uploads", "k"))).toBe(
      "https://uploads.s3.example.com/k",
    );
    expect(requestUrl({ endpoint: "https://s3.example.com" }, getBucketCors("uploads"))).toBe(
      "https://uploads.s3.example.com/?cors",
    );
    // Dots in a bucket name would break TLS wildcards, so path style it is.
    expect(requestUrl({ endpoint: "https://s3.example.com" }, getBucketCors("my.bucket"))).toBe(
      "https://s3.example.com/my.bucket?cors",
    );
  });

  it("keeps an endpoint's base path and encodes query values as SigV4 does", () => {
    expect(
      requestUrl(
        { endpoint: "http://127.0.0.1:9000/s3/", forcePathStyle: true },
        listParts("b", "k(1)", "a/b+c="),
      ),
    ).toBe("http://127.0.0.1:9000/s3/b/k%281%29?uploadId=a%2Fb%2Bc%3D");
  });

  it("refuses bad endpoints, buckets and keys", () => {
    expect(() => requestUrl({ endpoint: "not a url" }, headObject("b", "k"))).toThrow(/not a URL/);
    expect(() => requestUrl({ endpoint: "ftp://h" }, headObject("b", "k"))).toThrow(/http or https/);
    expect(() => requestUrl({ endpoint: "http://h" }, headObject("a/b", "k"))).toThrow(/bucket/);
    expect(() => requestUrl({ endpoint: "http://h" }, headObject("b", ""))).toThrow(/key/);
  });
});
