import { crc32SlicingTable, SlicedCrc32 } from "./crc32-slicing.js";

/** CRC-32C (Castagnoli, iSCSI, S3's CRC32C): reflected polynomial 0x82F63B78, init and xorout ~0. */
export const CRC32C_TABLE = crc32SlicingTable(0x82f63b78);

/** Incremental CRC-32C; digest() may be called at any point and does not end the stream. */
export class Crc32c extends SlicedCrc32 {
  constructor() {
    super(CRC32C_TABLE);
  }
}

export function crc32c(bytes: Uint8Array): number {
  return new Crc32c().update(bytes).value();
}
