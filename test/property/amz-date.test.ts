import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAmzDate, parseAmzDate } from "../../src/core/sigv4/time.js";
import { SEED } from "../support/sigv4-arbitraries.js";
import { amzDateTime } from "./presign-oracle.js";

const RUNS = { seed: SEED, numRuns: 300 };
const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, "0"));

describe("X-Amz-Date parsing", () => {
  it("round-trips every second from year 0000 to 9999", () => {
    const dates = fc
      .date({
        min: new Date("0000-01-01T00:00:00Z"),
        max: new Date("9999-12-31T23:59:59Z"),
        noInvalidDate: true,
      })
      .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
    fc.assert(
      fc.property(dates, (d) => {
        expect(parseAmzDate(formatAmzDate(d))?.getTime()).toBe(d.getTime());
      }),
      RUNS,
    );
  });

  it("agrees with the calendar on any yyyymmddThhmmssZ, including years 0000-0099 and leap days", () => {
    const text = fc
      .tuple(
        fc.oneof(digits(4, 9999), digits(4, 99)),
        digits(2, 13),
        digits(2, 31),
        digits(2, 25),
        digits(2, 60),
        digits(2, 60),
      )
      .map(([y, mo, d, h, mi, s]) => `${y}${mo}${d}T${h}${mi}${s}Z`);
    fc.assert(
      fc.property(text, (t) => {
        expect(parseAmzDate(t)?.getTime()).toBe(amzDateTime(t));
      }),
      RUNS,
    );
  });

  it("knows the edge cases", () => {
    expect(parseAmzDate("00000229T120000Z")?.toISOString()).toBe("0000-02-29T12:00:00.000Z");
    expect(parseAmzDate("00240506T070809Z")?.toISOString()).toBe("0024-05-06T07:08:09.000Z");
    expect(parseAmzDate("19000229T000000Z")).toBeUndefined();
    expect(parseAmzDate("20240229T235959Z")?.toISOString()).toBe("2024-02-29T23:59:59.000Z");
    for (const bad of [
      "20230229T000000Z",
      "20240101T240000Z",
      "20240101T006000Z",
      "2024-01-01T000000Z",
      "20240101T000000",
    ]) {
      expect(parseAmzDate(bad)).toBeUndefined();
    }
  });
});
