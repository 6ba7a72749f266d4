import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UpgateError } from "../errors.js";
import { MAX_OBJECT_SIZE, MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE } from "./limits.js";
import { planParts } from "./parts.js";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe("planParts", () => {
  it("splits into equal parts and a smaller last one", () => {
    expect(planParts(20 * MiB + 5, 8 * MiB)).toEqual({
      partSize: 8 * MiB,
      partCount: 3,
      sizes: [8 * MiB, 8 * MiB, 4 * MiB + 5],
    });
    expect(planParts(16 * MiB, 8 * MiB).sizes).toEqual([8 * MiB, 8 * MiB]);
  });

  it("plans an empty file as one empty part", () => {
    expect(planParts(0, 8 * MiB)).toEqual({ partSize: 8 * MiB, partCount: 1, sizes: [0] });
  });

  it("clamps the preferred part size to S3's 5 MiB..5 GiB", () => {
    expect(planParts(12 * MiB, 1024).partSize).toBe(5 * MiB);
    expect(planParts(12 * GiB, 6 * GiB).partSize).toBe(5 * GiB);
  });

  it("grows the part size to whole MiB when 10,000 parts would not be enough", () => {
    const plan = planParts(100 * GiB, 5 * MiB);
    expect(plan.partSize).toBe(11 * MiB);
    expect(plan.partCount).toBe(9310);
    const max = planParts(MAX_OBJECT_SIZE, 8 * MiB);
    expect(max.partSize).toBe(525 * MiB);
    expect(max.partCount).toBeLessThanOrEqual(MAX_PARTS);
  });

  it("always obeys S3's limits and adds up to the size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_OBJECT_SIZE }),
        fc.integer({ min: 1, max: 8 * GiB }),
        (size, preferred) => {
          const { partSize, partCount, sizes } = planParts(size, preferred);
          expect(partSize).toBeGreaterThanOrEqual(MIN_PART_SIZE);
          expect(partSize).toBeLessThanOrEqual(MAX_PART_SIZE);
          expect(partCount).toBeGreaterThanOrEqual(1);
          expect(partCount).toBeLessThanOrEqual(MAX_PARTS);
          expect(sizes).toHaveLength(partCount);
          expect(sizes.reduce((a, b) => a + b, 0)).toBe(size);
          expect(sizes.slice(0, -1).every((s) => s === partSize)).toBe(true);
          expect(sizes.at(-1)!).toBeLessThanOrEqual(partSize);
          if (partCount > 1) expect(sizes.at(-1)!).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ["a size over 5 TiB", MAX_OBJECT_SIZE + 1, 8 * MiB, "POLICY_TOO_LARGE"],
    ["a negative size", -1, 8 * MiB, "VALIDATION_FAILED"],
    ["a fractional size", 1.5, 8 * MiB, "VALIDATION_FAILED"],
    ["a zero part size", 10, 0, "CONFIG_INVALID"],
    ["a NaN part size", 10, Number.NaN, "CONFIG_INVALID"],
  ])("refuses %s", (_what, size, partSize, code) => {
    let error: unknown;
    try {
      planParts(size, partSize);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UpgateError);
    expect((error as UpgateError).code).toBe(code);
  });
});
