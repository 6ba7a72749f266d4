import { describe, expect, it } from "vitest";
import { compareKeys } from "./key-order.js";

const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe("compareKeys", () => {
  it.each([
    ["a", "b"],
    ["a", "ab"],
    ["images/1", "images/10"],
    ["\uffff", "\u{1f600}"],
    ["\ue000", "\u{10000}"],
    ["\u{1f600}", "\u{1f601}"],
    ["z", "\u00e9"],
  ])("orders %j before %j, as UTF-8 bytes do", (a, b) => {
    expect(utf8Order(a, b)).toBeLessThan(0);
    expect(compareKeys(a, b)).toBeLessThan(0);
    expect(compareKeys(b, a)).toBeGreaterThan(0);
  });

  it("finds equal keys equal", () => {
    expect(compareKeys("images/\u{1f600}.png", "images/\u{1f600}.png")).toBe(0);
  });
});
