import { createHash } from "node:crypto";
import { AwsCrc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme as AwsCrc64Nvme } from "@aws-sdk/crc64-nvme";
import { describe, expect, it } from "vitest";
import { headWith, streamingStorage } from "../../../test/support/streamed-storage.js";
import { checkUploadChecksum, expectedWhole } from "./upload-checksum.js";

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
const sha = (b: Uint8Array) => b64(createHash("sha256").update(b).digest());
/** The AWS SDK's implementations: the values S3 would compute, independent of the code under test. */
async function awsCrc(algorithm: "crc64nvme" | "crc32c", bytes: Uint8Array): Promise<string> {
  const h = algorithm === "crc64nvme" ? new AwsCrc64Nvme() : new AwsCrc32c();
  h.update(bytes);
  return b64(await h.digest());
}

const PARTS = [new Uint8Array(10).fill(1), new Uint8Array(10).fill(2), new Uint8Array(3).fill(3)];
const SIZES = PARTS.map((p) => p.length);
const BODY = Buffer.concat(PARTS);
const head = (checksums: Record<string, string>) =>
  headWith(BODY.length, "application/octet-stream", checksums);
const storageWith = (body: Uint8Array = BODY) => streamingStorage(body, 7);
const composite = `${b64(
  createHash("sha256")
    .update(Buffer.concat(PARTS.map((p) => createHash("sha256").update(p).digest())))
    .digest(),
)}-3`;

describe("checkUploadChecksum: sha256", () => {
  const parts = { values: PARTS.map(sha), sizes: SIZES };

  it("compares a single upload's sha256 with storage's, reading nothing", async () => {
    const { storage, reads } = storageWith();
    const want = { algorithm: "sha256" as const, whole: sha(BODY) };
    expect(await checkUploadChecksum(storage, "k", head({ sha256: sha(BODY) }), want)).toEqual({
      ok: true,
      by: "storage",
      value: sha(BODY),
    });
    const other = sha(new Uint8Array(1));
    expect(await checkUploadChecksum(storage, "k", head({ sha256: other }), want)).toEqual({
      ok: false,
      by: "storage",
      expected: sha(BODY),
      actual: other,
    });
    expect(reads).toEqual([]);
  });

  it("compares the parts with storage's COMPOSITE, reading nothing", async () => {
    const { storage, reads } = storageWith();
    const want = { algorithm: "sha256" as const, parts };
    expect(await checkUploadChecksum(storage, "k", head({ sha256: composite }), want)).toEqual({
      ok: true,
      by: "storage",
      value: composite,
    });
    expect(reads).toEqual([]);
  });

  it("reads a multipart object once for a whole-file sha256 (S3 keeps only the composite)", async () => {
    const { storage, reads } = storageWith();
    const want = { algorithm: "sha256" as const, whole: sha(BODY), parts };
    expect(await checkUploadChecksum(storage, "k", head({ sha256: composite }), want)).toEqual({
      ok: true,
      by: "gateway",
      value: sha(BODY),
    });
    expect(reads).toEqual(["k"]);
  });

  it("on a backend with no checksum, reads once for both the whole file and the parts, naming a bad part", async () => {
    const { storage, reads } = storageWith();
    const want = { algorithm: "sha256" as const, whole: sha(BODY), parts };
    expect(await checkUploadChecksum(storage, "k", head({}), want)).toMatchObject({
      ok: true,
      by: "gateway",
    });
    expect(reads).toEqual(["k"]);
    const tampered = Buffer.from(BODY);
    tampered[12] = 9;
    expect(await checkUploadChecksum(storageWith(tampered).storage, "k", head({}), want)).toEqual({
      ok: false,
      by: "gateway",
      expected: parts.values[1],
      actual: sha(tampered.subarray(10, 20)),
      partNumber: 2,
    });
  });

  it("ignores AWS's default CRC64NVME on a sha256 route: the sha256 is computed", async () => {
    const { storage, reads } = storageWith();
    const want = { algorithm: "sha256" as const, whole: sha(BODY) };
    const crc = await awsCrc("crc64nvme", BODY);
    expect(await checkUploadChecksum(storage, "k", head({ crc64nvme: crc }), want)).toMatchObject({
      ok: true,
      by: "gateway",
    });
    expect(reads).toEqual(["k"]);
  });

  it("has nothing to check without a declared value", async () => {
    const { storage, reads } = storageWith();
    expect(await checkUploadChecksum(storage, "k", head({}), { algorithm: "sha256" })).toBeUndefined();
    expect(reads).toEqual([]);
  });
});

describe.each(["crc64nvme", "crc32c"] as const)("checkUploadChecksum: %s", (algorithm) => {
  it("compares storage's FULL_OBJECT value with the whole file's, reading nothing", async () => {
    const { storage, reads } = storageWith();
    const whole = await awsCrc(algorithm, BODY);
    const want = { algorithm, whole };
    expect(await checkUploadChecksum(storage, "k", head({ [algorithm]: whole }), want)).toEqual({
      ok: true,
      by: "storage",
      value: whole,
    });
    const other = await awsCrc(algorithm, new Uint8Array(1));
    expect(await checkUploadChecksum(storage, "k", head({ [algorithm]: other }), want)).toEqual({
      ok: false,
      by: "storage",
      expected: whole,
      actual: other,
    });
    expect(reads).toEqual([]);
  });

  it("combines the parts' CRCs into the whole file's and compares it with storage's, reading nothing", async () => {
    const { storage, reads } = storageWith();
    const parts = { values: await Promise.all(PARTS.map((p) => awsCrc(algorithm, p))), sizes: SIZES };
    const whole = await awsCrc(algorithm, BODY);
    expect(expectedWhole({ algorithm, parts })).toBe(whole);
    expect(
      await checkUploadChecksum(storage, "k", head({ [algorithm]: whole }), { algorithm, parts }),
    ).toEqual({
      ok: true,
      by: "storage",
      value: whole,
    });
    expect(reads).toEqual([]);
  });

  it("computes the CRC while streaming when storage kept none (Ceph RGW 16), naming a bad part", async () => {
    const parts = { values: await Promise.all(PARTS.map((p) => awsCrc(algorithm, p))), sizes: SIZES };
    const whole = await awsCrc(algorithm, BODY);
    const good = storageWith();
    expect(await checkUploadChecksum(good.storage, "k", head({}), { algorithm, whole, parts })).toEqual({
      ok: true,
      by: "gateway",
      value: whole,
    });
    expect(good.reads).toEqual(["k"]);
    const tampered = Buffer.from(BODY);
    tampered[21] = 0;
    const bad = storageWith(tampered);
    expect(await checkUploadChecksum(bad.storage, "k", head({}), { algorithm, whole, parts })).toEqual({
      ok: false,
      by: "gateway",
      expected: parts.values[2],
      actual: await awsCrc(algorithm, tampered.subarray(20)),
      partNumber: 3,
    });
    // A single upload's whole-file value alone.
    expect(await checkUploadChecksum(bad.storage, "k", head({}), { algorithm, whole })).toEqual({
      ok: false,
      by: "gateway",
      expected: whole,
      actual: await awsCrc(algorithm, tampered),
    });
  });
});
