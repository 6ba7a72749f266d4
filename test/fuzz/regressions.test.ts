/** Bugs the fuzzer found, each pinned by the input that showed it. */
import { describe, expect, it } from "vitest";
import { parseXml } from "../../src/core/s3/xml-read.js";
import { decodeComponent } from "../../src/core/sigv4/encode.js";
import { presignUrl } from "../../src/core/sigv4/presign.js";
import { verifyAuthorizationHeader, verifyPresignedUrl } from "../../src/core/sigv4/verify.js";
import { formatSize, parseSize } from "../../src/core/util/sizes.js";
import { parseListObjects } from "../../src/server/s3/responses.js";
import { StorageError } from "../../src/server/s3/types.js";
import { S3Error } from "../../src/store/errors.js";
import { readXmlBody } from "../../src/store/xml-body.js";

const options = { region: "us-east-1", lookupSecret: () => "secret", now: new Date("2024-05-06T07:08:09Z") };

describe("SigV4 verification of a target with a lone surrogate (was a URIError thrown out of verify)", () => {
  it("refuses it as InvalidURI in the query and in the path", async () => {
    // A complete, valid presigned URL, so verification gets as far as the canonical query.
    const signed = await presignUrl({
      method: "GET",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
      bucket: "b",
      key: "k",
      region: "us-east-1",
      credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
      expiresIn: 600,
      date: options.now,
    });
    const url = `${new URL(signed.url).pathname}${new URL(signed.url).search}&versionId=\udfff`;
    const query = await verifyPresignedUrl(
      { method: "GET", url, headers: [["host", "127.0.0.1:9000"]] },
      options,
    );
    expect(query.ok || query.error.code).toBe("InvalidURI");
    const path = await verifyAuthorizationHeader(
      { method: "GET", url: "/b/\ud800", headers: [["authorization", "AWS4-HMAC-SHA256 Credential=a"]] },
      options,
    );
    expect(path.ok || path.error.code).toBe("InvalidURI");
    expect(decodeComponent("a\udfff")).toBeUndefined();
    expect(decodeComponent("a%20b")).toBe("a b");
  });
});

describe("CDATA in XML bodies (was quadratic: hours of CPU for a 4 MB body of unterminated sections)", () => {
  const bomb = `<CompleteMultipartUpload>${"<![CDATA[".repeat(250_000)}</CompleteMultipartUpload>`;

  it("refuses 2 MB of unterminated CDATA sections as malformed, in the store and the gateway", () => {
    expect(() => readXmlBody(Buffer.from(bomb), "CompleteMultipartUpload", [], () => 0)).toThrow(S3Error);
    expect(() => parseXml(bomb, { lenient: true })).toThrow(/malformed XML: unterminated CDATA section/);
  });

  it("reads sections as the regex expansion it replaced did", () => {
    for (const [text, expected] of [
      ["<a><![CDATA[x]]>y<![CDATA[<z>]]></a>", "xy<z>"],
      ["<a><![CDATA[x]]]]><![CDATA[>]]></a>", "x]]>"],
      ["<a><![CDATA[<![CDATA[x]]>]]></a>", "<![CDATA[x]]>"],
    ] as const) {
      expect(parseXml(text).element).toBe(expected);
    }
    expect(() => parseXml("<a><![CDATA[open</a>")).toThrow(/unterminated CDATA section/);
  });
});

describe("a listing with a bad percent-escape (was a URIError escaping the sweeper's listing)", () => {
  it("is a MalformedResponse StorageError", () => {
    const { element } = parseXml(
      "<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>%C3\u0000%A9</Key></Contents></ListBucketResult>",
      { arrays: ["Contents"], lenient: true },
    );
    expect(() => parseListObjects(element)).toThrow(StorageError);
    expect(() => parseListObjects(element)).toThrow(/not valid URL encoding/);
  });
});

describe('formatSize just under 2^53 bytes (was "8192 TB", which parseSize refuses)', () => {
  it("reads back to the same display value", () => {
    const shown = formatSize(9_007_144_279_159_603);
    expect(shown).toBe("8191.9 TB");
    expect(formatSize(parseSize(shown))).toBe(shown);
  });
});
