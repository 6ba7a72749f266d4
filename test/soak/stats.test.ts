import { describe, expect, it } from "vitest";
import { percentile, slope } from "./stats.js";

describe("soak statistics", () => {
  it("percentile takes the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it("slope is the least-squares fit, flat for noise around a level", () => {
    expect(slope([0, 1, 2, 3].map((x) => ({ x, y: 3 * x + 1 })))).toBeCloseTo(3);
    expect(slope([0, 1, 2, 3].map((x) => ({ x, y: x % 2 === 0 ? 10 : 12 })))).toBeCloseTo(0.4);
    expect(slope([{ x: 1, y: 5 }])).toBe(0);
  });
});
