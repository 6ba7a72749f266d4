import { AwsCrc32c } from "@aws-crypto/crc32c";
import { describe, expect, it } from "vitest";
import { UpgateError } from "../../core/errors.js";
import type { UploadRow } from "../ledger/types.js";
import { completeAssembly } from "./complete/complete-assembly.js";
import { completeChecksums } from "./complete/multipart-checksums.js";
import { parseCompleteRequest } from "./complete-request.js";
import { parsePartsRequest, requirePartChecksums } from "./parts-request.js";

const MiB = 1024 * 1024;
const SHA = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";
const CRC64 = "jSnVw/bqjr4=";
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
async function crc32c(bytes: Uint8Array): Promise<string> {
  const h = new AwsCrc32c();
  h.update(bytes);
  return b64(await h.digest());
}

function errorOf(run: () => unknown): UpgateError {
  try {
    run();
  } catch (err) {
    if (err instanceof UpgateError) return err;
    throw err;
  }
  throw new Error("expected an UpgateError");
}

describe("parsePartsRequest with the upload's algorithm", () => {
  it("takes the algorithm's field", () => {
    expect(parsePartsRequest({ partNumbers: [1, 2], crc64nvme: { "2": CRC64 } }, 3, "crc64nvme")).toEqual({
      partNumbers: [1, 2],
      checksums: { "2": CRC64 },
    });
    expect(parsePartsRequest({ partNumbers: [1], sha256: { "1": SHA } }, 3)).toEqual({
      partNumbers: [1],
      checksums: { "1": SHA },
    });
  });

  it("refuses another algorithm's field, and values of the wrong length", () => {
    const other = errorOf(() => parsePartsRequest({ partNumbers: [1], sha256: { "1": SHA } }, 3, "crc32c"));
    expect(other.message).toBe("this upload's parts are checked with crc32c; send crc32c, not sha256");
    expect(other.details).toEqual({ field: "sha256" });
    const short = errorOf(() => parsePartsRequest({ partNumbers: [1], crc32c: { "1": CRC64 } }, 3, "crc32c"));
    expect(short.message).toBe("crc32c of part 1 is not a base64 CRC32C");
  });
});

describe("requirePartChecksums (an upload created COMPOSITE SHA-256)", () => {
  it("refuses every part without its checksum, naming them all; takes a request with each, or none", () => {
    const request = parsePartsRequest({ partNumbers: [3, 1, 2], sha256: { "1": SHA } }, 12);
    const refused = errorOf(() => requirePartChecksums(request, "sha256"));
    expect(refused.code).toBe("POLICY_CHECKSUM_REQUIRED");
    expect(refused.details).toEqual({ field: "sha256", missing: [3, 2] });
    expect(refused.message).toMatch(/each part's URL must bind it: give sha256 for parts 3, 2$/);
    const many = parsePartsRequest({ partNumbers: Array.from({ length: 12 }, (_, i) => i + 1) }, 12);
    const all = errorOf(() => requirePartChecksums(many, "sha256"));
    expect(all.message).toMatch(/give sha256 for parts 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …$/);
    expect((all.details as { missing: number[] }).missing).toHaveLength(12);
    const hashed = parsePartsRequest({ partNumbers: [1], sha256: { "1": SHA } }, 3);
    expect(() => requirePartChecksums(hashed, "sha256")).not.toThrow();
    // No part number: a question about what storage holds, nothing to sign.
    const listing = parsePartsRequest({ partNumbers: [] }, 3);
    expect(listing).toEqual({ partNumbers: [], checksums: {} });
    expect(() => requirePartChecksums(listing, "sha256")).not.toThrow();
  });
});

describe("parseCompleteRequest with the upload's algorithm", () => {
  it("takes each part's value and a CRC upload's whole-file value", () => {
    expect(
      parseCompleteRequest(
        { parts: [{ partNumber: 1, etag: "e1", crc64nvme: CRC64 }], crc64nvme: CRC64 },
        "crc64nvme",
      ),
    ).toEqual({ crc64nvme: CRC64, parts: [{ partNumber: 1, etag: "e1", crc64nvme: CRC64 }] });
    expect(parseCompleteRequest({ crc64nvme: CRC64 }, "crc64nvme")).toEqual({ crc64nvme: CRC64 });
  });

  it("refuses another algorithm's values and a whole-file sha256", () => {
    expect(
      errorOf(() => parseCompleteRequest({ parts: [{ partNumber: 1, etag: "e", sha256: SHA }] }, "crc64nvme"))
        .message,
    ).toBe("part 1: this upload is checked with crc64nvme; send crc64nvme, not sha256");
    expect(errorOf(() => parseCompleteRequest({ crc32c: "yZRlqg==" }, "crc64nvme")).message).toBe(
      "this upload is checked with crc64nvme; send crc64nvme, not crc32c",
    );
    expect(errorOf(() => parseCompleteRequest({ sha256: SHA })).message).toMatch(
      /only given for CRC uploads/,
    );
    expect(errorOf(() => parseCompleteRequest({ crc64nvme: "AAAA" }, "crc64nvme")).message).toBe(
      "crc64nvme is not a base64 CRC64NVME",
    );
  });
});

const row = (overrides: Partial<UploadRow> = {}): UploadRow =>
  ({
    id: "up",
    strategy: "multipart",
    declaredSize: 12 * MiB,
    partSize: 5 * MiB,
    partCount: 3,
    sha256: null,
    checksumAlgorithm: "crc32c",
    checksum: null,
    ...overrides,
  }) as UploadRow;

describe("completeChecksums", async () => {
  const parts = [
    new Uint8Array(5 * MiB).fill(1),
    new Uint8Array(5 * MiB).fill(2),
    new Uint8Array(2 * MiB).fill(3),
  ];
  const values = await Promise.all(parts.map(crc32c));
  const whole = await crc32c(Buffer.concat(parts));
  const withParts = values.map((crc, i) => ({ partNumber: i + 1, etag: `e${i}`, crc32c: crc }));

  it("gives the parts and the whole-file value, which must be the parts combined", () => {
    expect(completeChecksums(row(), { parts: withParts, crc32c: whole })).toEqual({
      parts: { values, sizes: [5 * MiB, 5 * MiB, 2 * MiB] },
      whole,
    });
    const wrong = errorOf(() => completeChecksums(row(), { parts: withParts, crc32c: values[0]! }));
    expect(wrong.code).toBe("VALIDATION_FAILED");
    expect(wrong.details).toEqual({ field: "crc32c", combined: whole });
  });

  it("refuses a whole-file value other than the one declared at create", () => {
    const declared = row({ checksum: values[1]! });
    expect(errorOf(() => completeChecksums(declared, { crc32c: whole })).message).toBe(
      "crc32c differs from the one declared when the upload was created",
    );
    expect(completeChecksums(declared, {})).toEqual({ whole: values[1] });
  });

  it("refuses some parts' values without the others'", () => {
    expect(errorOf(() => completeChecksums(row(), { parts: withParts.slice(0, 2) })).details).toEqual({
      field: "parts",
      missing: [3],
    });
  });

  it("a route that requires the checksum refuses a CRC Complete without any", () => {
    expect(completeChecksums(row(), {})).toBeUndefined();
    expect(errorOf(() => completeChecksums(row(), { parts: [] }, true)).code).toBe(
      "POLICY_CHECKSUM_REQUIRED",
    );
    expect(completeChecksums(row(), { parts: withParts }, true)).toMatchObject({ parts: { values } });
  });
});

describe("completeAssembly", () => {
  const listed = [
    { partNumber: 1, size: 5, etag: '"a"', crc64nvme: "AAAAAAAAAAE=" },
    { partNumber: 2, size: 5, etag: '"b"', crc64nvme: "AAAAAAAAAAI=" },
  ];

  it("lists each part's checksum as storage listed it, and the FULL_OBJECT value", () => {
    expect(completeAssembly("crc64nvme", listed, CRC64)).toEqual({
      parts: [
        { partNumber: 1, etag: '"a"', checksum: { element: "ChecksumCRC64NVME", value: "AAAAAAAAAAE=" } },
        { partNumber: 2, etag: '"b"', checksum: { element: "ChecksumCRC64NVME", value: "AAAAAAAAAAI=" } },
      ],
      headers: { "x-amz-checksum-crc64nvme": CRC64, "x-amz-checksum-type": "FULL_OBJECT" },
    });
  });

  it("lists none when storage listed none for some part (a backend that keeps none)", () => {
    expect(
      completeAssembly("crc64nvme", [listed[0]!, { partNumber: 2, size: 5, etag: '"b"' }], undefined),
    ).toEqual({
      parts: [
        { partNumber: 1, etag: '"a"' },
        { partNumber: 2, etag: '"b"' },
      ],
      headers: {},
    });
  });
});
