import { describe, expect, it } from "vitest";
import type { ObjectHead } from "../../s3/types.js";
import { unplannedHeader } from "./stored-headers.js";

const head = (system: Record<string, string>): ObjectHead => ({
  size: 1,
  contentType: "image/png",
  etag: '"e"',
  lastModified: new Date(),
  metadata: {},
  checksums: {},
  system,
});

describe("unplannedHeader", () => {
  it.each([
    ["content-encoding", "gzip"],
    ["content-encoding", "zstd"],
    ["content-encoding", "identity"],
    ["cache-control", "public, max-age=31536000"],
    ["cache-control", "no-cache, max-age=60"],
    ["expires", "Thu, 01 Jan 2099 00:00:00 GMT"],
    ["content-language", "en"],
    ["content-disposition", "inline; filename=x.html"],
    ["x-amz-website-redirect-location", "https://evil.example"],
    ["x-amz-tagging-count", "1"],
    ["x-amz-object-lock-mode", "COMPLIANCE"],
    ["x-amz-object-lock-legal-hold", "ON"],
    ["x-amz-storage-class", "GLACIER"],
  ])("refuses a stored %s: %s", (name, value) => {
    expect(unplannedHeader(head({ [name]: value }))).toEqual({ name, value });
  });

  it.each<Record<string, string>>([
    {},
    { "cache-control": "no-cache" },
    { "cache-control": "No-Cache, no-store" },
    // What Chromium sends (and storage keeps) with the signed If-None-Match: *.
    { "cache-control": "max-age=0" },
    { "x-amz-storage-class": "STANDARD" },
    { "x-amz-object-lock-legal-hold": "OFF" },
    { "content-language": "  " },
  ])("accepts %j", (system) => {
    expect(unplannedHeader(head(system))).toBeUndefined();
  });

  it("names the first offender by name, whatever the order storage sent them in", () => {
    expect(unplannedHeader(head({ expires: "0", "content-encoding": "br" }))?.name).toBe("content-encoding");
  });
});
