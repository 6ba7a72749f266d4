import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_RETRY, MAX_RETRY_AFTER_MS, parseRetryAfter } from "./backoff.js";

describe("backoffDelay (exponential, full jitter)", () => {
  const options = { retries: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

  it("has ceilings that double from the base and stop at the maximum", () => {
    const almostOne = () => 0.999999;
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7].map((r) => backoffDelay(r, options, undefined, almostOne) + 1);
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it("draws uniformly between 0 and the ceiling", () => {
    expect(backoffDelay(3, options, undefined, () => 0)).toBe(0);
    expect(backoffDelay(3, options, undefined, () => 0.5)).toBe(2000);
    const seen = Array.from({ length: 2000 }, () => backoffDelay(2, options));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seen)).toBeLessThan(2000);
    const mean = seen.reduce((a, b) => a + b, 0) / seen.length;
    expect(mean).toBeGreaterThan(850);
    expect(mean).toBeLessThan(1150);
  });

  it("lets the server's Retry-After win, capped at five minutes", () => {
    expect(backoffDelay(0, options, 7000, () => 0)).toBe(7000);
    expect(backoffDelay(9, options, 0)).toBe(0);
    expect(backoffDelay(0, options, 3_600_000)).toBe(MAX_RETRY_AFTER_MS);
  });

  it("defaults to 5 retries from 500 ms up to 30 s", () => {
    expect(DEFAULT_RETRY).toEqual({ retries: 5, baseDelayMs: 500, maxDelayMs: 30_000 });
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("120")).toBe(120_000);
    expect(parseRetryAfter(" 0 ")).toBe(0);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
  });

  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("")).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter("-5")).toBeUndefined();
  });
});
