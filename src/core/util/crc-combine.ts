import { fromBase64, toBase64 } from "./base64.js";
import { crc32Bytes } from "./crc32-slicing.js";

/**
 * CRC combination: the CRC of A||B from crc(A), crc(B) and B's length, without the bytes. This is
 * zlib's crc32_combine (multiply crc(A) by x^(8*len(B)) modulo the polynomial, then xor crc(B))
 * generalised to any reflected CRC whose init equals its xorout, which all of S3's CRCs are.
 * It runs once per part, not per byte, so BigInt keeps it short and exact for 32 and 64 bits.
 */
class Combiner {
  readonly #poly: bigint;
  readonly #one: bigint;
  /** #x2n[k] = x^(2^k) mod poly, for k up to 63 (lengths up to 2^53 bytes need k <= 56). */
  readonly #x2n: bigint[] = [];

  constructor(reflectedPoly: bigint, width: number) {
    this.#poly = reflectedPoly;
    this.#one = 1n << BigInt(width - 1); // x^0 in the reflected (bit-reversed) representation
    let p = this.#one >> 1n; // x^1
    for (let k = 0; k < 64; k++) {
      this.#x2n.push(p);
      p = this.#mul(p, p);
    }
  }

  /** a * b modulo the polynomial, both reflected. */
  #mul(a: bigint, b: bigint): bigint {
    let m = this.#one;
    let p = 0n;
    for (;;) {
      if (a & m) {
        p ^= b;
        if ((a & (m - 1n)) === 0n) return p;
      }
      m >>= 1n;
      b = b & 1n ? (b >> 1n) ^ this.#poly : b >> 1n;
    }
  }

  combine(crcA: bigint, crcB: bigint, lengthB: number): bigint {
    if (!Number.isSafeInteger(lengthB) || lengthB < 0) {
      throw new RangeError(`CRC combine: lengthB must be a non-negative safe integer, got ${lengthB}`);
    }
    // x^(8 * lengthB): walk lengthB's bits, starting from x^(2^3) = x^8.
    let p = this.#one;
    let n = lengthB;
    for (let k = 3; n > 0; k++, n = Math.floor(n / 2)) {
      if (n % 2 === 1) p = this.#mul(this.#x2n[k]!, p);
    }
    return this.#mul(p, crcA) ^ crcB;
  }
}

const CRC32 = new Combiner(0xedb88320n, 32);
const CRC32C = new Combiner(0x82f63b78n, 32);
const CRC64NVME = new Combiner(0x9a6c9329ac4bc9b5n, 64);

/** CRC-32 of A||B from the two unsigned 32-bit CRCs and B's length in bytes (any, including 0). */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return Number(CRC32.combine(BigInt(crcA >>> 0), BigInt(crcB >>> 0), lengthB));
}

/** CRC-32C of A||B from the two unsigned 32-bit CRCs and B's length in bytes. */
export function crc32cCombine(crcA: number, crcB: number, lengthB: number): number {
  return Number(CRC32C.combine(BigInt(crcA >>> 0), BigInt(crcB >>> 0), lengthB));
}

/** CRC-64/NVME of A||B from the two unsigned 64-bit CRCs and B's length in bytes. */
export function crc64nvmeCombine(crcA: bigint, crcB: bigint, lengthB: number): bigint {
  return CRC64NVME.combine(BigInt.asUintN(64, crcA), BigInt.asUintN(64, crcB), lengthB);
}

export type CrcAlgorithm = "crc32" | "crc32c" | "crc64nvme";

const COMBINERS: Record<CrcAlgorithm, { combiner: Combiner; bytes: number }> = {
  crc32: { combiner: CRC32, bytes: 4 },
  crc32c: { combiner: CRC32C, bytes: 4 },
  crc64nvme: { combiner: CRC64NVME, bytes: 8 },
};

/**
 * The whole-object checksum (S3's FULL_OBJECT value) from the parts' base64 checksums, as S3
 * writes x-amz-checksum-<algorithm>, and their sizes, in part order. No parts is the empty object.
 * Throws a RangeError naming the part when a value is not the base64 of that algorithm's bytes.
 */
export function combineCrcBase64(
  algorithm: CrcAlgorithm,
  parts: readonly { checksum: string; size: number }[],
): string {
  const { combiner, bytes } = COMBINERS[algorithm];
  let whole = 0n;
  for (const [i, part] of parts.entries()) {
    const raw = fromBase64(part.checksum);
    if (raw?.length !== bytes) {
      throw new RangeError(
        `part ${i + 1}: ${algorithm} must be base64 of ${bytes} bytes, got "${part.checksum}"`,
      );
    }
    let value = 0n;
    for (const b of raw) value = (value << 8n) | BigInt(b);
    whole = combiner.combine(whole, value, part.size);
  }
  if (bytes === 4) return toBase64(crc32Bytes(Number(whole)));
  const out = new Uint8Array(8);
  for (let i = 7; i >= 0; i--, whole >>= 8n) out[i] = Number(whole & 255n);
  return toBase64(out);
}
