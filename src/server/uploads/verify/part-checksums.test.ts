import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { compositeSha256 } from "../../../core/s3/composite-checksum.js";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest();
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

const PARTS = [new Uint8Array(10).fill(1), new Uint8Array(10).fill(2), new Uint8Array(3).fill(3)];
const SHAS = PARTS.map((p) => b64(sha(p)));
/** S3's composite, computed independently of the code under test. */
const COMPOSITE = `${b64(sha(Buffer.concat(PARTS.map(sha))))}-3`;

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
