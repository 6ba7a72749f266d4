import { describe, expect, it } from "vitest";
import { multipartChecksumHeaders, partsNeedChecksum } from "./checksum-headers.js";

describe("partsNeedChecksum: read from the headers CreateMultipartUpload is sent with", () => {
  it("a COMPOSITE SHA-256 upload: every part must bind its SHA-256", () => {
    expect(multipartChecksumHeaders("sha256")).toEqual({
      "x-amz-checksum-algorithm": "SHA256",
      "x-amz-checksum-type": "COMPOSITE",
    });
    expect(partsNeedChecksum(multipartChecksumHeaders("sha256"))).toBe(true);
  });

  it.each(["crc64nvme", "crc32c"] as const)(
    "a FULL_OBJECT %s upload: parts may go without their CRC",
    (a) => {
      expect(multipartChecksumHeaders(a)["x-amz-checksum-type"]).toBe("FULL_OBJECT");
      expect(partsNeedChecksum(multipartChecksumHeaders(a))).toBe(false);
    },
  );

  it("an upload created without a checksum algorithm takes any part", () => {
    expect(partsNeedChecksum({ "content-type": "video/mp4" })).toBe(false);
  });
});
