import { describe, expect, it } from "vitest";
import { compareStrings, sortSmall } from "./sort.js";

describe("sortSmall", () => {
  it("orders like Array.prototype.sort, small and large, and keeps equal items in order", () => {
    for (const n of [0, 1, 2, 5, 24, 25, 100]) {
      const items = Array.from({ length: n }, (_, i) => ({ k: String((i * 7919) % 13), i }));
      const expected = [...items].sort((a, b) => compareStrings(a.k, b.k));
      expect(sortSmall(items, (a, b) => compareStrings(a.k, b.k))).toEqual(expected);
    }
  });

  it("compares by UTF-16 code units, as SigV4's byte order needs for ASCII names", () => {
    expect(sortSmall(["x-amz-meta-b", "X-Amz-Date", "host", "x-amz-meta-a", "_"], compareStrings)).toEqual([
      "X-Amz-Date",
      "_",
      "host",
      "x-amz-meta-a",
      "x-amz-meta-b",
    ]);
  });
});
