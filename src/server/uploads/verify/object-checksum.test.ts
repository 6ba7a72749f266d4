import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { headWith, streamingStorage } from "../../../../test/support/streamed-storage.js";
import { objectSha256 } from "./object-checksum.js";

const BODY = new TextEncoder().encode("the whole object, in two chunks");
const SHA = createHash("sha256").update(BODY).digest("base64");

/** Only getStream is used by objectSha256 (the object in 10-byte chunks); it counts the reads. */
const storageWith = (body: Uint8Array) => streamingStorage(body, 10);
const head = (checksums: Record<string, string>) => headWith(BODY.length, "text/plain", checksums);

describe("objectSha256", () => {
  it("uses storage's full-object sha256 without reading the object", async () => {
    const { storage, reads } = storageWith(BODY);
    expect(await objectSha256(storage, "k", head({ sha256: "c3RvcmVk" }))).toEqual({
      by: "storage",
      actual: "c3RvcmVk",
    });
    expect(reads).toEqual([]);
  });

  it.each([
    ["no checksum at all (Ceph RGW 16)", {}],
    ["only other algorithms (AWS's default CRC64NVME)", { crc64nvme: "AAAAAAAAAAA=" }],
    ["a composite multipart sha256", { sha256: "Y29tcG9zaXRl-3" }],
  ])("streams and hashes the object when storage has %s", async (_, checksums) => {
    const { storage, reads } = storageWith(BODY);
    expect(await objectSha256(storage, "k", head(checksums))).toEqual({ by: "gateway", actual: SHA });
    expect(reads).toEqual(["k"]);
  });
});
