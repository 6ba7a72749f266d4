import { describe, expect, it } from "vitest";
import { isBase64Checksum } from "./checksum-algorithm.js";
import { DEFAULT_KEY_TEMPLATE } from "./keys.js";
import { checkFiles, type RoutePolicy } from "./route.js";

const MiB = 1024 * 1024;
const route = (overrides: Partial<RoutePolicy>): RoutePolicy => ({
  name: "files",
  label: "Files",
  types: ["*/*"],
  maxSize: 1024 * MiB,
  minSize: 0,
  maxFiles: 3,
  expiresIn: 300,
  checksum: "optional",
  checksumAlgorithm: "crc64nvme",
  strategy: "auto",
  multipartThreshold: 64 * MiB,
  partSize: 16 * MiB,
  sniff: true,
  public: false,
  keyTemplate: DEFAULT_KEY_TEMPLATE,
  ...overrides,
});
const SHA = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";
const CRC64 = "jSnVw/bqjr4=";
const CRC32C = "yZRlqg==";
const file = { name: "a.bin", type: "application/octet-stream", size: 1000 };

describe("checksum fields in a declaration", () => {
  it("keeps the route algorithm's field and drops nothing else", () => {
    expect(checkFiles(route({}), [{ ...file, crc64nvme: CRC64 }])).toEqual({
      files: [{ ...file, crc64nvme: CRC64 }],
      problems: [],
    });
    const crc32c = route({ checksumAlgorithm: "crc32c" });
    expect(checkFiles(crc32c, [{ ...file, crc32c: CRC32C }]).files).toEqual([{ ...file, crc32c: CRC32C }]);
  });

  it("refuses another algorithm's field, naming the route's", () => {
    const { problems } = checkFiles(route({}), [{ ...file, sha256: SHA }]);
    expect(problems).toEqual([
      {
        index: 0,
        name: "a.bin",
        code: "VALIDATION_FAILED",
        message: "a.bin: Files checks crc64nvme checksums; declare crc64nvme, not sha256",
        details: { field: "sha256", algorithm: "crc64nvme" },
      },
    ]);
    const sha = checkFiles(route({ checksumAlgorithm: "sha256" }), [{ ...file, crc32c: CRC32C }]);
    expect(sha.problems[0]).toMatchObject({ details: { field: "crc32c", algorithm: "sha256" } });
  });

  it.each([
    ["a SHA-256-sized value", SHA, "8 bytes, 12 characters"],
    ["hex", "8d29d5c3f6ea8ebe", "not hex"],
    ["a CRC32C", CRC32C, "8 bytes"],
    ["a number", 12, "base64 CRC64NVME"],
  ])("refuses %s as a crc64nvme", (_, value, message) => {
    const { problems } = checkFiles(route({}), [{ ...file, crc64nvme: value }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "crc64nvme" } });
    expect(problems[0]!.message).toContain(message);
  });

  it("required: a single PUT must declare it; a multipart file may give it at Complete", () => {
    const required = route({ checksum: "required" });
    expect(checkFiles(required, [file]).problems).toEqual([
      {
        index: 0,
        name: "a.bin",
        code: "POLICY_CHECKSUM_REQUIRED",
        message: "a.bin needs a crc64nvme: Files requires the base64 CRC64NVME of each file",
        details: { field: "crc64nvme" },
      },
    ]);
    expect(checkFiles(required, [{ ...file, size: 100 * MiB }]).problems).toEqual([]);
    const sha = route({ checksum: "required", checksumAlgorithm: "sha256" });
    expect(checkFiles(sha, [{ ...file, size: 100 * MiB }]).problems[0]).toMatchObject({
      code: "POLICY_CHECKSUM_REQUIRED",
    });
  });

  it("isBase64Checksum knows each algorithm's digest length", () => {
    expect(isBase64Checksum("sha256", SHA)).toBe(true);
    expect(isBase64Checksum("crc64nvme", CRC64)).toBe(true);
    expect(isBase64Checksum("crc32c", CRC32C)).toBe(true);
    expect(isBase64Checksum("crc32c", CRC64)).toBe(false);
    expect(isBase64Checksum("crc64nvme", "jSnVw/bqjr4")).toBe(false);
  });
});
