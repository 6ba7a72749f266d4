import { describe, expect, it } from "vitest";
import { metadataHeaders } from "./metadata-headers.js";

describe("metadataHeaders", () => {
  it("returns US-ASCII values as they are", () => {
    expect(metadataHeaders({ owner: "ada", note: "a b\tc" })).toEqual({
      "x-amz-meta-owner": "ada",
      "x-amz-meta-note": "a b\tc",
    });
  });

  it("RFC 2047 encodes values beyond Latin-1, and keeps Latin-1 (raw header bytes) as it is", () => {
    const out = metadataHeaders({ latin: "Z\u00fcrich", name: "写真" });
    expect(out["x-amz-meta-latin"]).toBe("Z\u00fcrich");
    expect(out["x-amz-meta-name"]).toBe("=?UTF-8?B?5YaZ55yf?=");
  });

  it("leaves out values no HTTP header can carry and counts them in x-amz-missing-meta", () => {
    expect(metadataHeaders({ a: "x\r\nset-cookie: y", b: "nul\u0000", c: "fine" })).toEqual({
      "x-amz-meta-c": "fine",
      "x-amz-missing-meta": "2",
    });
  });
});
