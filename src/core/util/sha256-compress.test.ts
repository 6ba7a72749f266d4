import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMPRESS_PATH, generateCompress } from "../../../bench/client-hash-gen.js";

describe("sha256-compress.ts", () => {
  it("is exactly what bench/client-hash-gen.ts generates", () => {
    expect(readFileSync(COMPRESS_PATH, "utf8")).toBe(generateCompress());
  });
});
