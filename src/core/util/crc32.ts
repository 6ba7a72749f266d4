import { toBase64 } from "./base64.js";
import { crc32Bytes, crc32SlicingTable, crc32SlicingUpdate } from "./crc32-slicing.js";

/** CRC-32 (ISO-HDLC, zlib, S3's CRC32): reflected polynomial 0xEDB88320, init and xorout ~0. */
export const CRC32_TABLE = crc32SlicingTable(0xedb88320);

/** Incremental CRC-32; digest() may be called at any point and does not end the stream. */
export class Crc32 {
  #crc = -1;

  update(bytes: Uint8Array): this {
    this.#crc = crc32SlicingUpdate(CRC32_TABLE, this.#crc, bytes);
    return this;
  }

  /** The checksum as an unsigned 32-bit number. */
  value(): number {
    return ~this.#crc >>> 0;
  }

  /** Four big-endian bytes. */
  digest(): Uint8Array {
    return crc32Bytes(this.value());
  }

  /** Base64 of the big-endian bytes: the x-amz-checksum-crc32 header value. */
  digestBase64(): string {
    return toBase64(this.digest());
  }
}

export function crc32(bytes: Uint8Array): number {
  return new Crc32().update(bytes).value();
}
