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

function crcTables(poly: number): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    tables[0]![i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    for (let t = 1; t < 8; t++)
      tables[t]![i] = (tables[t - 1]![i]! >>> 8) ^ tables[0]![tables[t - 1]![i]! & 0xff]!;
  }
  return tables;
}

const lazy = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};
const CRC32_TABLES = lazy(() => crcTables(0xedb88320));
const CRC32C_TABLES = lazy(() => crcTables(0x82f63b78));

/** Slicing-by-8 CRC; `crc` is the running value (start with 0). */
function crcUpdate(tables: Uint32Array[], crc: number, bytes: Bytes): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = tables as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  let c = ~crc >>> 0;
  let i = 0;
  const n = bytes.length;
  for (; i + 8 <= n; i += 8) {
    const a = (c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
    c =
      t7[a & 0xff]! ^
      t6[(a >>> 8) & 0xff]! ^
      t5[(a >>> 16) & 0xff]! ^
      t4[a >>> 24]! ^
      t3[bytes[i + 4]!]! ^
      t2[bytes[i + 5]!]! ^
      t1[bytes[i + 6]!]! ^
      t0[bytes[i + 7]!]!;
  }
  for (; i < n; i++) c = t0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
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
  return fast ? fast(bytes, previous) >>> 0 : crcUpdate(CRC32_TABLES(), previous, bytes);
}

export function crc32c(data: Data, previous = 0): number {
  return crcUpdate(CRC32C_TABLES(), previous, toBytes(data));
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
