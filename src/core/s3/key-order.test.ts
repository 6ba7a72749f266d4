import fc from "fast-check";
import { describe, expect, it, test } from "vitest";
import { compareKeys } from "./key-order.js";

const byteOrder = (a: string, b: string) =>
  Math.sign(Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));

describe("compareKeys: against Buffer.compare", () => {
  test("orders as UTF-8 bytes do, where JS string order differs", () => {
    expect(compareKeys("\uFFFD", "😀")).toBeLessThan(0);
    expect("\uFFFD" < "😀").toBe(false);
    expect(compareKeys("\uE000", "𝒜")).toBeLessThan(0);
    expect(compareKeys("a", "a/b")).toBeLessThan(0);
    expect(compareKeys("Z", "a")).toBeLessThan(0);
    expect(compareKeys("é", "é")).toBe(0);
  });

  test("agrees with Buffer.compare on random well-formed strings", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 12 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareKeys(a, b))).toBe(byteOrder(a, b));
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
        expect(Math.sign(compareKeys(a, b))).toBe(byteOrder(a, b));
      }),
      { numRuns: 5000 },
    );
  });
});

describe("compareKeys: examples", () => {
  it.each([
    ["a", "b"],
    ["a", "ab"],
    ["images/1", "images/10"],
    ["\uffff", "\u{1f600}"],
    ["\ue000", "\u{10000}"],
    ["\u{1f600}", "\u{1f601}"],
    ["z", "\u00e9"],
  ])("orders %j before %j, as UTF-8 bytes do", (a, b) => {
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBeLessThan(0);
    expect(compareKeys(a, b)).toBeLessThan(0);
    expect(compareKeys(b, a)).toBeGreaterThan(0);
  });

  it("finds equal keys equal", () => {
    expect(compareKeys("images/\u{1f600}.png", "images/\u{1f600}.png")).toBe(0);
  });
});
