import { CRC32_TABLE } from "../util/crc32.js";
import { crc32SlicingUpdate } from "../util/crc32-slicing.js";
import { CRC32C_TABLE } from "../util/crc32c.js";
import { Crc64Nvme } from "../util/crc64nvme.js";
import { type Bytes, createHash, type Data, type MaybePromise, toBase64, toBytes } from "./crypto.js";

/** The x-amz-checksum-* algorithms S3 verifies. */
export const CHECKSUM_ALGORITHMS = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

export interface Checksum {
  update(data: Data): void;
  /** The base64 value S3 puts in x-amz-checksum-<algorithm>. */
  digestBase64(): MaybePromise<string>;
}

const lazy = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

/**
 * Continues a finished CRC-32 value `crc` (0 to start) over `bytes` with the slicing-by-16 kernel
 * of core/util: the store checks every byte of a body sent with x-amz-checksum-crc32c with it, so
 * it must be the fast one (word loads: several times the old byte-wise slicing-by-8 here).
 */
function crcUpdate(table: Int32Array, crc: number, bytes: Bytes): number {
  return ~crc32SlicingUpdate(table, ~crc, bytes) >>> 0;
}

type Crc32Fn = (data: Bytes, value?: number) => number;
const nodeCrc32 = lazy((): Crc32Fn | undefined => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const zlib = proc?.getBuiltinModule?.("node:zlib") as { crc32?: Crc32Fn } | undefined;
    return zlib?.crc32;
  } catch {
    return undefined;
  }
});

function crcBase64(value: number): string {
  return toBase64(new Uint8Array([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]));
}

export function crc32(data: Data, previous = 0): number {
  const bytes = toBytes(data);
  const fast = nodeCrc32();
  return fast ? fast(bytes, previous) >>> 0 : crcUpdate(CRC32_TABLE, previous, bytes);
}

export function crc32c(data: Data, previous = 0): number {
  return crcUpdate(CRC32C_TABLE, previous, toBytes(data));
}

export function createChecksum(algorithm: ChecksumAlgorithm): Checksum {
  if (algorithm === "crc64nvme") {
    const crc = new Crc64Nvme();
    return { update: (d) => crc.update(toBytes(d)), digestBase64: () => crc.digestBase64() };
  }
  if (algorithm === "crc32" || algorithm === "crc32c") {
    const fn = algorithm === "crc32" ? crc32 : crc32c;
    let value = 0;
    return {
      update(d) {
        value = fn(d, value);
      },
      digestBase64: () => crcBase64(value),
    };
  }
  const hash = createHash(algorithm);
  return {
    update: (d) => hash.update(d),
    digestBase64: () => {
      const out = hash.digest();
      return out instanceof Promise ? out.then(toBase64) : toBase64(out);
    },
  };
}
