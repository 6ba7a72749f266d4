/** Bugs the fuzzer found, each pinned by the input that showed it. */
import { describe, expect, it } from "vitest";
import {
  decodeComponent,
  presignUrl,
  verifyAuthorizationHeader,
  verifyPresignedUrl,
} from "../../src/core/index.js";
import { expandCdata } from "../../src/core/s3/xml.js";
import { formatSize, parseSize } from "../../src/core/util/sizes.js";
import { parseListObjects } from "../../src/server/storage/responses.js";
import { StorageError } from "../../src/server/storage/types.js";
import { parseXml as parseGatewayXml } from "../../src/server/storage/xml-read.js";
import { S3Error } from "../../src/store/errors.js";
import { parseXml as parseStoreXml } from "../../src/store/xml-parse.js";

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
    expect(() => parseStoreXml(Buffer.from(bomb))).toThrow(S3Error);
    expect(() => parseGatewayXml(bomb)).toThrow(/malformed XML/);
  });

  it("expands sections exactly as the regex it replaces did", () => {
    const regex = (t: string) => t.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, d: string) => `[${d}]`);
    for (const text of [
      "<a><![CDATA[x]]>y<![CDATA[<z>]]></a>",
      "<a><![CDATA[x]]]]><![CDATA[>]]></a>",
      "<a><![CDATA[open</a>",
      "<a><![CDATA[<![CDATA[x]]>]]></a>",
      "no sections",
    ]) {
      expect(expandCdata(text, (d) => `[${d}]`)).toBe(regex(text));
    }
  });
});

describe("a listing with a bad percent-escape (was a URIError escaping the sweeper's listing)", () => {
  it("is a MalformedResponse StorageError", () => {
    const { element } = parseGatewayXml(
      "<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>%C3\u0000%A9</Key></Contents></ListBucketResult>",
      ["Contents"],
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
