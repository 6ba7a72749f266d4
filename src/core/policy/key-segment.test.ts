import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SEGMENT_LENGTH, safeSegment } from "./key-segment.js";

/** Any UTF-16 string, lone surrogates included. */
const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
const SEGMENT = /^[A-Za-z0-9._%~-]+$/;

describe("safeSegment", () => {
  it.each([
    ["user-1", "user-1"],
    ["Alice_B.C", "Alice_B.C"],
    ["a b", "a%20b"],
    ["a/b", "a%2Fb"],
    ["../etc", "..%2Fetc"],
    ["%2e", "%252e"],
    ["~", "%7E"],
    [".", "%2E"],
    ["..", "%2E%2E"],
    ["...", "..."],
    ["\u0000", "%00"],
    ["é", "%C3%A9"],
    ["\u202e", "%E2%80%AE"],
    ["😀", "%F0%9F%98%80"],
    ["\ud800", "%ED%A0%80"],
    ["\udc00x", "%ED%B0%80x"],
  ])("makes %j into %j", (value, segment) => {
    expect(safeSegment(value)).toBe(segment);
  });

  it("keeps only unreserved characters and escapes, never a slash, a dot segment or an empty one", () => {
    fc.assert(
      fc.property(
        anyUtf16.filter((s) => s !== ""),
        (value) => {
          const seg = safeSegment(value);
          expect(seg).toMatch(SEGMENT);
          expect(seg).not.toBe(".");
          expect(seg).not.toBe("..");
          expect(seg.length).toBeLessThanOrEqual(MAX_SEGMENT_LENGTH);
        },
      ),
    );
  });

  it("can be decoded back to the value when not shortened (so it is one-to-one)", () => {
    // 10 code points are at most 40 bytes, 120 escaped characters: never shortened.
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 10 }), (value) => {
        const seg = safeSegment(value);
        expect(decodeURIComponent(seg)).toBe(value);
      }),
    );
  });

  it("shortens long values with a hash, keeping a prefix and staying distinct", () => {
    const a = "x".repeat(500);
    const b = `${"x".repeat(499)}y`;
    expect(safeSegment(a)).toMatch(/^x{101}~[a-z2-7]{26}$/);
    expect(safeSegment(a)).not.toBe(safeSegment(b));
    expect(safeSegment("x".repeat(MAX_SEGMENT_LENGTH))).toBe("x".repeat(MAX_SEGMENT_LENGTH));
    expect(safeSegment("x".repeat(MAX_SEGMENT_LENGTH + 1))).toContain("~");
  });

  it("does not cut a percent escape in half when shortening", () => {
    for (let pad = 0; pad < 6; pad++) {
      const seg = safeSegment(`${"a".repeat(pad)}${"é".repeat(200)}`);
      const [kept] = seg.split("~");
      expect(kept).toMatch(/^a*(%[0-9A-F]{2})*$/);
    }
  });

  it("gives different values different segments (long, short, lone surrogates)", () => {
    const distinct = [
      "\ud800",
      "\ufffd",
      "\ud800\udc00",
      "\udc00\ud800",
      ".",
      "%2E",
      "..",
      "%2E%2E",
      "x".repeat(200),
      `${"x".repeat(200)}.`,
      `${"x".repeat(101)}~${"a".repeat(26)}`,
    ];
    expect(new Set(distinct.map(safeSegment)).size).toBe(distinct.length);
    fc.assert(
      fc.property(anyUtf16, anyUtf16, (a, b) => {
        fc.pre(a !== b && a !== "" && b !== "");
        expect(safeSegment(a)).not.toBe(safeSegment(b));
      }),
    );
  });
});
