import { describe, expect, it } from "vitest";
import { metadataBytes, utf8Length } from "./object-metadata.js";

describe("utf8Length", () => {
  it("counts what TextEncoder would encode, lone surrogates as U+FFFD", () => {
    const samples = [
      "",
      "ascii",
      "é",
      "日本語",
      "😀 emoji",
      "\ud83d", // lone high surrogate
      "\ude00x", // lone low surrogate
      "a\ud83d\ud83d\ude00b", // high, then a pair
      "\u0000\u007f\u0080\u07ff\u0800\uffff",
    ];
    for (const text of samples)
      expect(utf8Length(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).length);
  });
});

describe("metadataBytes", () => {
  it("adds up names and UTF-8 values", () => {
    expect(metadataBytes({ a: "é", bb: "x" })).toBe(1 + 2 + 2 + 1);
  });
});
