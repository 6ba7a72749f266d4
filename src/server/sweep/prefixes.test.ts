import { describe, expect, it } from "vitest";
import { sweepPrefixes } from "./prefixes.js";

describe("sweepPrefixes", () => {
  it("reads each prefix as a folder, so images does not cover images-archive", () => {
    expect(sweepPrefixes(["images", "docs/"])).toEqual(["docs/", "images/"]);
  });

  it("drops duplicates and prefixes inside another", () => {
    expect(sweepPrefixes(["images/", "images/avatars", "images"])).toEqual(["images/"]);
  });

  it.each([[[""]], [["/"]], [["images", ""]]])("refuses %j, which would cover the whole bucket", (list) => {
    expect(() => sweepPrefixes(list)).toThrow(RangeError);
  });
});
