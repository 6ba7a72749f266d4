import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ObjectHead, StorageClient } from "../storage/types.js";
import { objectSha256 } from "./checksum.js";

const BODY = new TextEncoder().encode("the whole object, in two chunks");
const SHA = createHash("sha256").update(BODY).digest("base64");

/** Only getStream is used by objectSha256; it counts the reads. */
function storageWith(body: Uint8Array) {
  const reads: string[] = [];
  const storage = {
    async getStream(key: string) {
      reads.push(key);
      return new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(body.subarray(0, 10));
          c.enqueue(body.subarray(10));
          c.close();
        },
      });
    },
  } as unknown as StorageClient;
  return { storage, reads };
}

const head = (checksums: Record<string, string>): ObjectHead => ({
  size: BODY.length,
  contentType: "text/plain",
  etag: '"e"',
  lastModified: new Date(),
  metadata: {},
  checksums,
});

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
