import { compressBlocks } from "./sha256-compress.js";

const INITIAL = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/**
 * Incremental SHA-256 (FIPS 180-4) in plain JavaScript: the one JS implementation (the client hashes
 * files with it where node:crypto is missing; policy code renders keys with sha256Sync). `update` takes any number of chunks of
 * any size; whole blocks are hashed straight from the caller's array (no copy), and only a
 * partial block (under 64 bytes) is kept between calls. Memory use is constant.
 */
export class Sha256 {
  private readonly state = new Int32Array(8);
  private readonly block = new Uint8Array(64);
  private readonly blockView = new DataView(this.block.buffer);
  private blockLength = 0;
  private length = 0;
  private finished = false;

  constructor() {
    this.reset();
  }

  reset(): this {
    for (let i = 0; i < 8; i++) this.state[i] = INITIAL[i]!;
    this.blockLength = 0;
    this.length = 0;
    this.finished = false;
    return this;
  }

  update(data: Uint8Array): this {
    if (this.finished) throw new Error("Sha256: update after digest (call reset first)");
    this.length += data.length;
    let pos = 0;
    if (this.blockLength > 0) {
      const take = Math.min(64 - this.blockLength, data.length);
      this.block.set(data.subarray(0, take), this.blockLength);
      this.blockLength += take;
      pos = take;
      if (this.blockLength < 64) return this;
      compressBlocks(this.state, this.blockView, 0, 64);
      this.blockLength = 0;
    }
    if (data.length - pos >= 64) {
      pos = compressBlocks(
        this.state,
        new DataView(data.buffer, data.byteOffset, data.length),
        pos,
        data.length,
      );
    }
    if (pos < data.length) {
      this.block.set(data.subarray(pos), 0);
      this.blockLength = data.length - pos;
    }
    return this;
  }

  /** The 32-byte digest. The hasher is finished afterwards until reset(). */
  digest(): Uint8Array {
    if (this.finished) throw new Error("Sha256: digest called twice (call reset first)");
    this.finished = true;
    const block = this.block;
    let n = this.blockLength;
    block[n++] = 0x80;
    if (n > 56) {
      block.fill(0, n);
      compressBlocks(this.state, this.blockView, 0, 64);
      n = 0;
    }
    block.fill(0, n, 56);
    // The message length in bits, as a 64-bit big-endian number.
    const high = Math.floor(this.length / 0x20000000);
    const low = (this.length * 8) >>> 0;
    block[56] = high >>> 24;
    block[57] = high >>> 16;
    block[58] = high >>> 8;
    block[59] = high;
    block[60] = low >>> 24;
    block[61] = low >>> 16;
    block[62] = low >>> 8;
    block[63] = low;
    compressBlocks(this.state, this.blockView, 0, 64);
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) {
      const word = this.state[i]!;
      out[i * 4] = word >>> 24;
      out[i * 4 + 1] = word >>> 16;
      out[i * 4 + 2] = word >>> 8;
      out[i * 4 + 3] = word;
    }
    return out;
  }
}

/**
 * One-shot SHA-256, synchronous: for short inputs where core's crypto seam (asynchronous in
 * browsers, through WebCrypto) cannot be used, such as rendering a key.
 */
export function sha256Sync(data: Uint8Array): Uint8Array {
  return new Sha256().update(data).digest();
}
