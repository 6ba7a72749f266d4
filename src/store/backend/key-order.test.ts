import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { compareUtf8 } from "./key-order.js";

const byteOrder = (a: string, b: string) =>
  Math.sign(Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));

describe("compareUtf8", () => {
  test("orders as UTF-8 bytes do, where JS string order differs", () => {
    expect(compareUtf8("\uFFFD", "😀")).toBeLessThan(0);
    expect("\uFFFD" < "😀").toBe(false);
    expect(compareUtf8("\uE000", "𝒜")).toBeLessThan(0);
    expect(compareUtf8("a", "a/b")).toBeLessThan(0);
    expect(compareUtf8("Z", "a")).toBeLessThan(0);
    expect(compareUtf8("é", "é")).toBe(0);
  });

  test("agrees with Buffer.compare on random well-formed strings", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 12 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareUtf8(a, b))).toBe(byteOrder(a, b));
      }),
      { numRuns: 5000 },
    );
  });

  test("agrees on strings sharing a prefix and mixing BMP-high and astral characters", () => {
    const unit = fc.constantFrom(
      "a",
      "\u007f",
      "\u0080",
      "\u07ff",
      "\uD7FF",
      "\uE000",
      "\uFFFF",
      "𐀀",
      "😀",
      "\u{10FFFF}",
    );
    const text = fc.array(unit, { maxLength: 6 }).map((units) => units.join(""));
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareUtf8(a, b))).toBe(byteOrder(a, b));
      }),
      { numRuns: 5000 },
    );
  });
});
