import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UpgateError } from "../errors.js";
import { formatSize, parseSize } from "./sizes.js";

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;
const UNITS = [
  ["B", 1],
  ["KB", KiB],
  ["MB", MiB],
  ["GB", GiB],
  ["TB", TiB],
] as const;

function configError(fn: () => unknown): UpgateError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UpgateError);
    expect((err as UpgateError).code).toBe("CONFIG_INVALID");
    return err as UpgateError;
  }
  throw new Error("expected a CONFIG_INVALID error");
}

describe("parseSize", () => {
  it.each([
    ["10MB", 10 * MiB],
    ["1.5 GB", 1.5 * GiB],
    ["512KiB", 512 * KiB],
    ["5 MiB", 5 * MiB],
    ["100 B", 100],
    ["1gb", GiB],
    ["2 TiB", 2 * TiB],
    ["1 tb", TiB],
    [" 7 kb ", 7 * KiB],
    ["0", 0],
    ["42", 42],
    ["42 bytes", 42],
    ["10.0", 10],
    ["0.1 KB", 102],
  ])("reads %j as %i bytes", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it("takes whole numbers as bytes", () => {
    expect(parseSize(0)).toBe(0);
    expect(parseSize(123_456)).toBe(123_456);
    expect(parseSize(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([
    [-1, "cannot be negative"],
    ["-5MB", "cannot be negative"],
    [Number.NaN, "not a finite number"],
    [Number.POSITIVE_INFINITY, "not a finite number"],
    [1.5, "whole number"],
    ["1.5", "whole number"],
    ["1.5 B", "whole number"],
    ["10 XB", 'unknown unit "XB"'],
    ["10 constructor", 'unknown unit "constructor"'],
    ["10 M", 'unknown unit "M"'],
    ["", "expected a number"],
    ["MB", "expected a number"],
    ["1e6", "expected a number"],
    ["1,000", "expected a number"],
    ["ten MB", "expected a number"],
    [2 ** 53, "too large"],
    ["8192 TB", "too large"],
    ["9".repeat(80), "too long"],
  ])("refuses %j (%s)", (value, why) => {
    const err = configError(() => parseSize(value as number | string));
    expect(err.message).toContain(why);
    expect(err.message).toMatch(/^invalid size /);
  });

  it("refuses values of other types with the same error", () => {
    configError(() => parseSize(null as unknown as number));
    configError(() => parseSize({} as unknown as number));
  });

  it("round-trips any whole number of bytes, as a number and as text", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(parseSize(n)).toBe(n);
        expect(parseSize(String(n))).toBe(n);
        expect(parseSize(`${n} B`)).toBe(n);
      }),
    );
  });

  it("multiplies by 1024 per unit step, whatever the spelling", () => {
    const spelling = fc.constantFrom(...UNITS.map(([u]) => u)).chain((u) =>
      fc.record({
        unit: fc.constant(u),
        text: fc.constantFrom(
          u,
          u.toLowerCase(),
          u === "B" ? "b" : `${u[0]}iB`,
          u === "B" ? "B" : `${u[0]}ib`,
        ),
        sep: fc.constantFrom("", " ", "  "),
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1023 }), spelling, (k, { unit, text, sep }) => {
        const factor = UNITS.find(([u]) => u === unit)![1];
        expect(parseSize(`${k}${sep}${text}`)).toBe(k * factor);
      }),
    );
  });
});

describe("formatSize", () => {
  it.each([
    [3, "3 B"],
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1 KB"],
    [900 * KiB, "900 KB"],
    [12 * MiB, "12 MB"],
    [1.5 * GiB, "1.5 GB"],
    [10 * MiB + 1, "10 MB"],
    [1127, "1.1 KB"],
    [MiB - 1, "1 MB"],
    [5 * TiB, "5 TB"],
    [8000 * TiB, "8000 TB"],
  ])("writes %i as %j", (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });

  it("writes k units as exactly `k UNIT`", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1023 }), fc.constantFrom(...UNITS), (k, [name, factor]) => {
        expect(formatSize(k * factor)).toBe(`${k} ${name}`);
      }),
    );
  });

  it("uses at most one decimal and never a trailing .0", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(formatSize(n)).toMatch(/^(0|[1-9]\d*)(\.[1-9])? (B|KB|MB|GB|TB)$/);
      }),
    );
  });

  it("is read back by parseSize to the same figure, within 5%", () => {
    // Up to 8000 TB: just below 2^53 bytes, "8192 TB" would no longer be a safe integer.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8000 * TiB }), (n) => {
        const shown = formatSize(n);
        const back = parseSize(shown);
        expect(formatSize(back)).toBe(shown);
        expect(Math.abs(back - n)).toBeLessThanOrEqual(n * 0.05 + 1);
      }),
    );
  });

  it("never throws for odd input (it is used inside error messages)", () => {
    expect(formatSize(-2048)).toBe("-2 KB");
    expect(formatSize(Number.NaN)).toBe("NaN B");
  });
});
