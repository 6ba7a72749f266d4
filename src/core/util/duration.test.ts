import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UpgateError } from "../errors.js";
import { parseDuration } from "./duration.js";

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

describe("parseDuration", () => {
  it.each([
    ["30s", 30 * S],
    ["5m", 5 * MIN],
    ["1h", H],
    ["day", D],
    ["1d", D],
    ["week", 7 * D],
    ["7d", 7 * D],
    ["month", 30 * D],
    ["2 weeks", 14 * D],
    ["1.5h", 1.5 * H],
    ["500ms", 500],
    ["15 minutes", 15 * MIN],
    [" 2 Hours ", 2 * H],
    ["300", 300 * S],
    ["0", 0],
  ])("reads %j as %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it("reads numbers as seconds", () => {
    expect(parseDuration(300)).toBe(300 * S);
    expect(parseDuration(0.5)).toBe(500);
    expect(parseDuration(0)).toBe(0);
  });

  it.each([
    [-1, "cannot be negative"],
    ["-5m", "cannot be negative"],
    [Number.NaN, "finite"],
    [Number.POSITIVE_INFINITY, "finite"],
    ["5 fortnights", 'unknown unit "fortnights"'],
    ["5 constructor", 'unknown unit "constructor"'],
    ["m", 'a number is needed before "m"'],
    ["", "empty"],
    ["5m30s", "expected a number"],
    ["1e3", "expected a number"],
    [`${"9".repeat(30)} months`, "too long"],
    ["9".repeat(70), "too long"],
  ])("refuses %j (%s)", (value, why) => {
    let error: unknown;
    try {
      parseDuration(value as number | string);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UpgateError);
    expect((error as UpgateError).code).toBe("CONFIG_INVALID");
    expect((error as UpgateError).message).toContain(why);
  });

  it("agrees between numbers, bare digits and each unit", () => {
    const units = fc.constantFrom<[string, number]>(
      ["s", S],
      ["m", MIN],
      ["h", H],
      ["d", D],
      ["w", 7 * D],
      ["months", 30 * D],
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        units,
        fc.constantFrom("", " "),
        (n, [unit, factor], sep) => {
          expect(parseDuration(n)).toBe(n * S);
          expect(parseDuration(String(n))).toBe(n * S);
          expect(parseDuration(`${n}${sep}${unit}`)).toBe(n * factor);
        },
      ),
    );
  });
});
