import { toBase64 } from "./base64.js";
import { type CrcUpdate, crcKernelOr } from "./crc-wasm.js";

/**
 * CRC-64/NVME (S3's CRC64NVME): reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout ~0.
 * Slicing-by-16 with the 64-bit register held as two 32-bit halves (no BigInt): HI and LO are flat
 * 16 x 256 tables of the high and low words, entry s*256+i being the register after byte i and s
 * zero bytes. The low word holds the bits that meet the next input byte first.
 */
const POLY_HI = 0x9a6c9329;
const POLY_LO = 0xac4bc9b5 | 0;
const HI = new Int32Array(16 * 256);
const LO = new Int32Array(16 * 256);
for (let i = 0; i < 256; i++) {
  let hi = 0;
  let lo = i;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = (lo >>> 1) | (hi << 31);
    hi >>>= 1;
    if (carry) {
      hi ^= POLY_HI;
      lo ^= POLY_LO;
    }
  }
  HI[i] = hi;
  LO[i] = lo;
}
for (let s = 1; s < 16; s++) {
  for (let i = 0; i < 256; i++) {
    const hi = HI[(s - 1) * 256 + i]!;
    const lo = LO[(s - 1) * 256 + i]!;
    const x = lo & 255;
    HI[s * 256 + i] = (hi >>> 8) ^ HI[x]!;
    LO[s * 256 + i] = ((lo >>> 8) | (hi << 24)) ^ LO[x]!;
  }
}

/** The slicing tables, for crc64nvmeUpdate. */
export const CRC64NVME_TABLES: { readonly hi: Int32Array; readonly lo: Int32Array } = { hi: HI, lo: LO };

/**
 * Feeds `d` into the register held in state ([0] high word, [1] low word, pre-inverted) using the
 * tables in CRC64NVME_TABLES. Self-contained (it reads nothing outside its parameters), so the
 * client can run its source in a Worker.
 */
export function crc64nvmeUpdate(HI: Int32Array, LO: Int32Array, state: Int32Array, d: Uint8Array): void {
  let hi = state[0]!;
  let lo = state[1]!;
  let i = 0;
  const n = d.length;
  // As crc32SlicingUpdate: little-endian words from the first aligned offset, 4 loads per 16 bytes;
  // big-endian platforms go a byte at a time.
  const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
  while (i < n && (d.byteOffset + i) % 4 !== 0) {
    const x = (lo ^ d[i++]!) & 255;
    lo = ((lo >>> 8) | (hi << 24)) ^ LO[x]!;
    hi = (hi >>> 8) ^ HI[x]!;
  }
  if (littleEndian && n - i >= 16) {
    const w = new Int32Array(d.buffer, d.byteOffset + i, (n - i) >>> 2);
    const end = w.length - (w.length % 4);
    for (let k = 0; k < end; k += 4) {
      const p = lo ^ w[k]!;
      const q = hi ^ w[k + 1]!;
      const r = w[k + 2]!;
      const s = w[k + 3]!;
      const a0 = p & 255;
      const a1 = (p >>> 8) & 255;
      const a2 = (p >>> 16) & 255;
      const a3 = p >>> 24;
      const a4 = q & 255;
      const a5 = (q >>> 8) & 255;
      const a6 = (q >>> 16) & 255;
      const a7 = q >>> 24;
      const a8 = r & 255;
      const a9 = (r >>> 8) & 255;
      const a10 = (r >>> 16) & 255;
      const a11 = r >>> 24;
      const a12 = s & 255;
      const a13 = (s >>> 8) & 255;
      const a14 = (s >>> 16) & 255;
      const a15 = s >>> 24;
      hi =
        HI[3840 + a0]! ^
        HI[3584 + a1]! ^
        HI[3328 + a2]! ^
        HI[3072 + a3]! ^
        HI[2816 + a4]! ^
        HI[2560 + a5]! ^
        HI[2304 + a6]! ^
        HI[2048 + a7]! ^
        HI[1792 + a8]! ^
        HI[1536 + a9]! ^
        HI[1280 + a10]! ^
        HI[1024 + a11]! ^
        HI[768 + a12]! ^
        HI[512 + a13]! ^
        HI[256 + a14]! ^
        HI[a15]!;
      lo =
        LO[3840 + a0]! ^
        LO[3584 + a1]! ^
        LO[3328 + a2]! ^
        LO[3072 + a3]! ^
        LO[2816 + a4]! ^
        LO[2560 + a5]! ^
        LO[2304 + a6]! ^
        LO[2048 + a7]! ^
        LO[1792 + a8]! ^
        LO[1536 + a9]! ^
        LO[1280 + a10]! ^
        LO[1024 + a11]! ^
        LO[768 + a12]! ^
        LO[512 + a13]! ^
        LO[256 + a14]! ^
        LO[a15]!;
    }
    i += end * 4;
  }
  for (; i < n; i++) {
    const x = (lo ^ d[i]!) & 255;
    lo = ((lo >>> 8) | (hi << 24)) ^ LO[x]!;
    hi = (hi >>> 8) ^ HI[x]!;
  }
  state[0] = hi;
  state[1] = lo;
}

/** WebAssembly where it runs, else crc64nvmeUpdate: picked on first use. */
let kernel: CrcUpdate | undefined;

/** Incremental CRC-64/NVME; digest() may be called at any point and does not end the stream. */
export class Crc64Nvme {
  readonly #state = Int32Array.of(-1, -1);

  update(d: Uint8Array): this {
    kernel ??= crcKernelOr((s, b) => crc64nvmeUpdate(HI, LO, s, b), LO, HI);
    kernel(this.#state, d);
    return this;
  }

  /** The checksum as an unsigned 64-bit bigint (for combination and tests, not the hot path). */
  value(): bigint {
    return (BigInt(~this.#state[0]! >>> 0) << 32n) | BigInt(~this.#state[1]! >>> 0);
  }

  /** Eight big-endian bytes. */
  digest(): Uint8Array {
    const hi = ~this.#state[0]!;
    const lo = ~this.#state[1]!;
    return new Uint8Array([
      hi >>> 24,
      (hi >>> 16) & 255,
      (hi >>> 8) & 255,
      hi & 255,
      lo >>> 24,
      (lo >>> 16) & 255,
      (lo >>> 8) & 255,
      lo & 255,
    ]);
  }

  /** Base64 of the big-endian bytes: the x-amz-checksum-crc64nvme header value. */
  digestBase64(): string {
    return toBase64(this.digest());
  }
}

export function crc64nvme(bytes: Uint8Array): bigint {
  return new Crc64Nvme().update(bytes).value();
}
