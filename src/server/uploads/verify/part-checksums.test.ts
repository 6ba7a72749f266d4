import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { headWith, streamingStorage } from "../../../../test/support/streamed-storage.js";
import { compositeSha256 } from "../../../core/s3/composite-checksum.js";
import { checkPartChecksums, hashParts } from "./part-checksums.js";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest();
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

const PARTS = [new Uint8Array(10).fill(1), new Uint8Array(10).fill(2), new Uint8Array(3).fill(3)];
const SIZES = PARTS.map((p) => p.length);
const SHAS = PARTS.map((p) => b64(sha(p)));
const BODY = Buffer.concat(PARTS);
/** S3's composite, computed independently of the code under test. */
const COMPOSITE = `${b64(sha(Buffer.concat(PARTS.map(sha))))}-3`;

const storageWith = (body: Uint8Array, chunk = 7) => streamingStorage(body, chunk);
const head = (checksums: Record<string, string>) =>
  headWith(BODY.length, "application/octet-stream", checksums);

describe("compositeSha256", () => {
  it("is S3's SHA-256 of the concatenated raw part digests, base64, then -N", () => {
    expect(compositeSha256(SHAS)).toBe(COMPOSITE);
    expect(compositeSha256([SHAS[0]!])).toBe(`${b64(sha(sha(PARTS[0]!)))}-1`);
  });

  it("refuses what is not a list of base64 SHA-256s", () => {
    expect(compositeSha256([])).toBeUndefined();
    expect(compositeSha256(["not base64!"])).toBeUndefined();
    expect(compositeSha256([b64(new Uint8Array(20))])).toBeUndefined();
  });
});

describe("checkPartChecksums", () => {
  const parts = { sha256s: SHAS, sizes: SIZES };

  it("matches storage's composite without reading the object", async () => {
    const { storage, reads } = storageWith(BODY);
    expect(await checkPartChecksums(storage, "k", head({ sha256: COMPOSITE }), parts)).toEqual({
      ok: true,
      by: "storage",
    });
    expect(reads).toEqual([]);
  });

  it("refuses a composite that differs (a part is not what the client hashed), without reading", async () => {
    const { storage, reads } = storageWith(BODY);
    const other = compositeSha256([SHAS[0]!, SHAS[0]!, SHAS[2]!])!;
    expect(await checkPartChecksums(storage, "k", head({ sha256: other }), parts)).toEqual({
      ok: false,
      by: "storage",
      expected: COMPOSITE,
      actual: other,
    });
    expect(reads).toEqual([]);
  });

  it.each([
    ["no checksum at all (Ceph RGW 16)", {}],
    ["only AWS's default CRC64NVME", { crc64nvme: "AAAAAAAAAAA=" }],
    ["a composite of another part count", { sha256: `${SHAS[0]}-2` }],
    ["a full-object sha256", { sha256: b64(sha(BODY)) }],
  ])("hashes each part's bytes itself when storage has %s", async (_, checksums) => {
    const { storage, reads } = storageWith(BODY);
    expect(await checkPartChecksums(storage, "k", head(checksums), parts)).toEqual({
      ok: true,
      by: "gateway",
    });
    expect(reads).toEqual(["k"]);
  });

  it("names the first part whose bytes differ when storage did not check them (Ceph stores anything)", async () => {
    const tampered = Buffer.from(BODY);
    tampered[12] = 9;
    const { storage } = storageWith(tampered);
    expect(await checkPartChecksums(storage, "k", head({}), parts)).toMatchObject({
      ok: false,
      by: "gateway",
      partNumber: 2,
      expected: SHAS[1],
    });
  });

  it("fails when the object is shorter than the parts", async () => {
    const { storage } = storageWith(BODY.subarray(0, 15));
    expect(await checkPartChecksums(storage, "k", head({}), parts)).toMatchObject({
      ok: false,
      partNumber: 2,
    });
  });
});

describe("hashParts", () => {
  it("hashes consecutive ranges however the stream is chunked", async () => {
    for (const chunk of [1, 3, 10, 11, 64]) {
      const { storage } = storageWith(BODY, chunk);
      expect(await hashParts(await storage.getStream("k"), SIZES)).toEqual(SHAS);
    }
  });
});
