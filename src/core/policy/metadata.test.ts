import { describe, expect, it } from "vitest";
import { MAX_METADATA_BYTES, metadataProblem } from "./metadata.js";

describe("metadataProblem", () => {
  it("accepts flat maps of lower-case names to printable ASCII", () => {
    expect(metadataProblem({})).toBeUndefined();
    expect(metadataProblem({ album: "Summer 2025", "photo-id": "42", x: "" })).toBeUndefined();
    expect(metadataProblem(Object.assign(Object.create(null), { a: "b" }))).toBeUndefined();
  });

  it("accepts exactly 2 KB and refuses one byte more", () => {
    const value = "v".repeat(MAX_METADATA_BYTES - 1);
    expect(metadataProblem({ k: value })).toBeUndefined();
    expect(metadataProblem({ k: `${value}v` })).toContain("2048 bytes");
    expect(metadataProblem({ a: "x".repeat(1000), b: "y".repeat(1000), c: "z".repeat(50) })).toContain(
      "2048 bytes",
    );
  });

  it.each([
    ["an array", ["a"], "must be an object"],
    ["null", null, "must be an object"],
    ["a string", "a=b", "must be an object"],
    ["a class instance", new Map([["a", "b"]]), "must be an object"],
    ["an upper-case name", { Album: "x" }, "lower-case"],
    ["a name with an underscore", { my_key: "x" }, "lower-case"],
    ["an empty name", { "": "x" }, "lower-case"],
    ["a 65-character name", { ["k".repeat(65)]: "x" }, "1 to 64"],
    ["a header-splitting name", { "a\r\nx-amz-acl": "public-read" }, "lower-case"],
    ["a reserved name", { "upgate-user": "someone-else" }, "reserved"],
    ["a nested object", { a: { b: "c" } }, "must be a string"],
    ["a number", { a: 1 }, "must be a string"],
    ["a CR LF value", { a: "x\r\nx-amz-acl: public-read" }, "printable ASCII"],
    ["a non-ASCII value", { a: "café" }, "printable ASCII"],
    ["a leading space", { a: " x" }, "leading or trailing"],
    ["a trailing tab", { a: "x\t" }, "printable ASCII"],
  ])("refuses %s", (_what, metadata, why) => {
    expect(metadataProblem(metadata)).toContain(why);
  });
});
