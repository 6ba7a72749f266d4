import { toBase64 } from "./base64.js";
import { crc32Bytes, crc32SlicingTable, crc32SlicingUpdate } from "./crc32-slicing.js";

/** CRC-32C (Castagnoli, iSCSI, S3's CRC32C): reflected polynomial 0x82F63B78, init and xorout ~0. */
export const CRC32C_TABLE = crc32SlicingTable(0x82f63b78);

/** Incremental CRC-32C; digest() may be called at any point and does not end the stream. */
export class Crc32c {
  #crc = -1;

  update(bytes: Uint8Array): this {
    this.#crc = crc32SlicingUpdate(CRC32C_TABLE, this.#crc, bytes);
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

  /** Base64 of the big-endian bytes: the x-amz-checksum-crc32c header value. */
  digestBase64(): string {
    return toBase64(this.digest());
  }
}

export function crc32c(bytes: Uint8Array): number {
  return new Crc32c().update(bytes).value();
}
