import { crc32SlicingTable, SlicedCrc32 } from "./crc32-slicing.js";

/** CRC-32 (ISO-HDLC, zlib, S3's CRC32): reflected polynomial 0xEDB88320, init and xorout ~0. */
export const CRC32_TABLE = crc32SlicingTable(0xedb88320);

/** Incremental CRC-32; digest() may be called at any point and does not end the stream. */
export class Crc32 extends SlicedCrc32 {
  constructor() {
    super(CRC32_TABLE);
  }
}

export function crc32(bytes: Uint8Array): number {
  return new Crc32().update(bytes).value();
}
