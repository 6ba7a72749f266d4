import { describe, expect, it } from "vitest";
import { formatAmzDate } from "./time.js";

describe("formatAmzDate", () => {
  it("formats each second, including when calls alternate between seconds (it keeps the last one)", () => {
    const a = new Date("2025-06-01T12:00:00.999Z");
    const b = new Date("2025-06-01T12:00:01.000Z");
    const c = new Date("1969-12-31T23:59:59.500Z");
    for (let i = 0; i < 3; i++) {
      expect(formatAmzDate(a)).toBe("20250601T120000Z");
      expect(formatAmzDate(b)).toBe("20250601T120001Z");
      expect(formatAmzDate(new Date(a.getTime() - 999))).toBe("20250601T120000Z");
      expect(formatAmzDate(c)).toBe("19691231T235959Z");
    }
  });

  it("still throws for an invalid date", () => {
    expect(() => formatAmzDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});
