import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { UpgateError } from "../errors.js";
import { bareEtag, multipartETag, sameEtag } from "./etag.js";

const md5 = (data: string | Buffer): Buffer => createHash("md5").update(data).digest();

describe("multipartETag", () => {
  it("is the md5 of the parts' binary md5s, a dash and the part count", () => {
    const parts = ["part one", "part two", "part three"].map((p) => md5(p));
    const expected = `${md5(Buffer.concat(parts)).toString("hex")}-3`;
    expect(multipartETag(parts.map((p) => p.toString("hex")))).toBe(expected);
  });

  it("accepts S3's quoted ETags and upper-case hex", () => {
    const part = md5("x").toString("hex");
    expect(multipartETag([`"${part}"`])).toBe(multipartETag([part]));
    expect(multipartETag([part.toUpperCase()])).toBe(multipartETag([part]));
  });

  it.each([
    ["no parts", []],
    ["a part ETag that is not hex", ["zz".repeat(16)]],
    ["a part ETag of the wrong length", ["abcd"]],
    ["a multipart ETag as a part", [`${"a".repeat(32)}-2`]],
  ])("rejects %s", (_what, parts) => {
    expect(() => multipartETag(parts)).toThrow(UpgateError);
  });
});

describe("sameEtag", () => {
  it("compares ETags however they are quoted", () => {
    expect(bareEtag(' W/"abc" ')).toBe("abc");
    expect(sameEtag('"5d41"', "5d41")).toBe(true);
    expect(sameEtag('"5d41"', '"5d42"')).toBe(false);
    expect(sameEtag('"a-2"', "a-2")).toBe(true);
  });
});
