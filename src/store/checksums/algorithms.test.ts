import { createHash } from "node:crypto";
import { crc32 as zlibCrc32 } from "node:zlib";
import { Crc64Nvme } from "@aws-sdk/crc64-nvme";
import { describe, expect, it } from "vitest";
import { checksumSpec, checksumTypeOf, compositeChecksum, fullObjectChecksum } from "./algorithms.js";
import { uploadChecksumOf } from "./upload-checksum.js";

const spec = (name: string) => checksumSpec(name)!;
const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const crc32b64 = (bytes: Uint8Array) => be32(zlibCrc32(bytes)).toString("base64");
async function crc64b64(bytes: Uint8Array): Promise<string> {
  const sum = new Crc64Nvme();
  sum.update(bytes);
  return Buffer.from(await sum.digest()).toString("base64");
}

describe("checksum algorithms", () => {
  const parts = [Buffer.from("first part "), Buffer.alloc(0), Buffer.from("and the last one")];
  const whole = Buffer.concat(parts);

  it("a FULL_OBJECT value combined from the parts is the checksum of the whole object, empty parts included", async () => {
    expect(
      fullObjectChecksum(
        spec("crc32"),
        parts.map((p) => ({ checksum: crc32b64(p), size: p.length })),
      ),
    ).toBe(crc32b64(whole));
    const crc64 = await Promise.all(
      parts.map(async (p) => ({ checksum: await crc64b64(p), size: p.length })),
    );
    expect(fullObjectChecksum(spec("crc64nvme"), crc64)).toBe(await crc64b64(whole));
    expect(() => fullObjectChecksum(spec("sha256"), [])).toThrow(RangeError);
  });

  it("a COMPOSITE value is the checksum of the raw part checksums, with the part count", () => {
    const sha1s = parts.map((p) => createHash("sha1").update(p).digest());
    expect(
      compositeChecksum(
        spec("sha1"),
        sha1s.map((d) => d.toString("base64")),
      ),
    ).toBe(`${createHash("sha1").update(Buffer.concat(sha1s)).digest("base64")}-3`);
    const crcs = parts.map((p) => be32(zlibCrc32(p)));
    expect(
      compositeChecksum(
        spec("crc32"),
        crcs.map((c) => c.toString("base64")),
      ),
    ).toBe(`${crc32b64(Buffer.concat(crcs))}-3`);
    expect(() => compositeChecksum(spec("sha256"), ["AAAA"])).toThrow(RangeError);
  });

  it("reads the type a record kept, or the part-count suffix of records that kept none", () => {
    expect(checksumTypeOf({ sha256: "x-2" })).toBe("COMPOSITE");
    expect(checksumTypeOf({ crc32: "x" })).toBe("FULL_OBJECT");
    expect(checksumTypeOf({ crc32: "x" }, "COMPOSITE")).toBe("COMPOSITE");
  });
});

describe("x-amz-checksum-algorithm and -type on CreateMultipartUpload", () => {
  const parse = (headers: Record<string, string>) => uploadChecksumOf(new Map(Object.entries(headers)));
  const refusal = (headers: Record<string, string>) => {
    try {
      parse(headers);
    } catch (err) {
      return err as { code: string; message: string };
    }
    throw new Error("accepted");
  };

  it("defaults the type per algorithm and accepts any case", () => {
    expect(parse({})).toBeUndefined();
    const cases: Array<[string, string | undefined, string, string]> = [
      ["CRC64NVME", undefined, "crc64nvme", "FULL_OBJECT"],
      ["crc32", undefined, "crc32", "COMPOSITE"],
      ["CRC32C", "full_object", "crc32c", "FULL_OBJECT"],
      ["SHA256", "COMPOSITE", "sha256", "COMPOSITE"],
    ];
    for (const [algorithm, type, name, expected] of cases) {
      const got = parse({
        "x-amz-checksum-algorithm": algorithm,
        ...(type ? { "x-amz-checksum-type": type } : {}),
      });
      expect([got?.spec.name, got?.type]).toEqual([name, expected]);
    }
  });

  it("refuses what S3 refuses, in S3's words", () => {
    expect(
      refusal({ "x-amz-checksum-algorithm": "CRC64NVME", "x-amz-checksum-type": "COMPOSITE" }),
    ).toMatchObject({
      code: "InvalidRequest",
      message: "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.",
    });
    expect(
      refusal({ "x-amz-checksum-algorithm": "SHA1", "x-amz-checksum-type": "FULL_OBJECT" }),
    ).toMatchObject({
      message: "The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.",
    });
    expect(refusal({ "x-amz-checksum-type": "COMPOSITE" })).toMatchObject({
      message: "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.",
    });
    expect(refusal({ "x-amz-checksum-algorithm": "MD5" })).toMatchObject({ code: "InvalidRequest" });
  });
});
