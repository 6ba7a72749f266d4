import { describe, expect, it } from "vitest";
import type { ObjectMeta } from "../backend/types.js";
import { listEncode } from "./list-objects.js";
import { normalizePlan } from "./multipart-complete.js";
import { selectPart } from "./part-number.js";
import { copySourceRange } from "./upload-part-copy.js";

const meta = (extra: Partial<ObjectMeta>): ObjectMeta => ({
  key: "k",
  size: 0,
  etag: '"e"',
  lastModified: new Date(0),
  contentType: "binary/octet-stream",
  metadata: {},
  checksums: {},
  headers: {},
  ...extra,
});

describe("normalizePlan", () => {
  const p = (partNumber: number, etag: string) => ({ partNumber, etag });

  it("keeps one entry per repeated part number, the one listed last", () => {
    expect(normalizePlan([p(1, "a"), p(1, "b"), p(2, "c"), p(2, "c")])).toEqual([p(1, "b"), p(2, "c")]);
  });

  it("refuses decreasing part numbers with InvalidPartOrder", () => {
    expect(() => normalizePlan([p(2, "a"), p(1, "b")])).toThrow(
      expect.objectContaining({ code: "InvalidPartOrder" }),
    );
    expect(() => normalizePlan([p(1, "a"), p(2, "b"), p(2, "c"), p(1, "d")])).toThrow(
      expect.objectContaining({ code: "InvalidPartOrder" }),
    );
  });
});

describe("selectPart", () => {
  const mp = meta({ size: 13, partsCount: 3, partSizes: [5, 0, 8] });

  it("locates part N of a multipart object", () => {
    expect(selectPart(mp, 1)).toEqual({ kind: "part", range: { start: 0, end: 4 }, partsCount: 3 });
    expect(selectPart(mp, 2)).toEqual({ kind: "part", range: undefined, partsCount: 3 });
    expect(selectPart(mp, 3)).toEqual({ kind: "part", range: { start: 5, end: 12 }, partsCount: 3 });
  });

  it("treats a single-part object as its own part 1, and refuses other numbers with InvalidPart", () => {
    expect(selectPart(meta({ size: 3 }), 1)).toEqual({ kind: "whole" });
    expect(() => selectPart(meta({ size: 3 }), 2)).toThrow(expect.objectContaining({ code: "InvalidPart" }));
    expect(() => selectPart(mp, 4)).toThrow(expect.objectContaining({ code: "InvalidPart" }));
  });
});

describe("copySourceRange", () => {
  it("reads bytes=first-last within the source", () => {
    expect(copySourceRange(undefined, 10)).toBeUndefined();
    expect(copySourceRange("bytes=0-9", 10)).toEqual({ start: 0, end: 9 });
    expect(copySourceRange(" bytes=3-3 ", 10)).toEqual({ start: 3, end: 3 });
  });

  it.each([
    "0-2",
    "bytes=0",
    "bytes=a-b",
    "bytes=0-bar",
    "bytes=hello-",
    "bytes=0-2,3-5",
    "bytes=-3",
    "bytes=4-3",
  ])("refuses %j with InvalidArgument", (header) => {
    expect(() => copySourceRange(header, 10)).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });

  it("refuses a range past the source's end with 416 InvalidRange", () => {
    expect(() => copySourceRange("bytes=0-10", 10)).toThrow(
      expect.objectContaining({ code: "InvalidRange", status: 416 }),
    );
  });
});

describe("listEncode", () => {
  it("percent-encodes a space as %20, keeps / and encodes the rest as S3 lists them", () => {
    expect(listEncode("my file.png")).toBe("my%20file.png");
    expect(listEncode("a+b/c d~!*'()\n")).toBe("a%2Bb/c%20d%7E%21*%27%28%29%0A");
    expect(decodeURIComponent(listEncode("quux ab/"))).toBe("quux ab/");
  });
});
