import { createHash } from "node:crypto";
import { createChecksum, fromBase64 } from "../../core/index.js";
import { combineCrcBase64 } from "../../core/util/crc-combine.js";
import { Crc64Nvme } from "../../core/util/crc64nvme.js";

/** The checksum algorithms S3 keeps for objects, by the lower-case name of their x-amz-checksum-* header. */
export type ChecksumName = "crc32" | "crc32c" | "crc64nvme" | "sha1" | "sha256";

/** How a multipart object's checksum derives from its parts (x-amz-checksum-type). */
export type ChecksumType = "COMPOSITE" | "FULL_OBJECT";

/** A running checksum of bytes streamed through it. */
export interface StreamingChecksum {
  update(bytes: Uint8Array): void;
  digestBase64(): string;
}

export interface ChecksumSpec {
  name: ChecksumName;
  /** As S3 spells it in x-amz-checksum-algorithm and error messages: "CRC64NVME". */
  wire: string;
  /** The XML element that carries a value: "ChecksumCRC64NVME". */
  element: string;
  /** Length of the raw checksum. */
  bytes: number;
  /** The multipart checksum types S3 accepts for this algorithm; the first is the default. */
  types: readonly ChecksumType[];
  create(): StreamingChecksum;
}

const crc = (name: "crc32" | "crc32c") => (): StreamingChecksum => {
  const sum = createChecksum(name);
  return { update: (bytes) => sum.update(bytes), digestBase64: () => sum.digestBase64() as string };
};

const hash = (name: "sha1" | "sha256") => (): StreamingChecksum => {
  const h = createHash(name);
  return { update: (bytes) => h.update(bytes), digestBase64: () => h.digest("base64") };
};

const SPECS: Record<ChecksumName, ChecksumSpec> = {
  crc32: {
    name: "crc32",
    wire: "CRC32",
    element: "ChecksumCRC32",
    bytes: 4,
    types: ["COMPOSITE", "FULL_OBJECT"],
    create: crc("crc32"),
  },
  crc32c: {
    name: "crc32c",
    wire: "CRC32C",
    element: "ChecksumCRC32C",
    bytes: 4,
    types: ["COMPOSITE", "FULL_OBJECT"],
    create: crc("crc32c"),
  },
  crc64nvme: {
    name: "crc64nvme",
    wire: "CRC64NVME",
    element: "ChecksumCRC64NVME",
    bytes: 8,
    types: ["FULL_OBJECT"],
    create: () => new Crc64Nvme(),
  },
  sha1: {
    name: "sha1",
    wire: "SHA1",
    element: "ChecksumSHA1",
    bytes: 20,
    types: ["COMPOSITE"],
    create: hash("sha1"),
  },
  sha256: {
    name: "sha256",
    wire: "SHA256",
    element: "ChecksumSHA256",
    bytes: 32,
    types: ["COMPOSITE"],
    create: hash("sha256"),
  },
};

export const CHECKSUM_NAMES = Object.keys(SPECS) as ChecksumName[];

export function checksumSpec(name: string): ChecksumSpec | undefined {
  return Object.hasOwn(SPECS, name) ? SPECS[name as ChecksumName] : undefined;
}

/** Whether `value` is the base64 of one checksum of this algorithm (no part-count suffix). */
export function isChecksumValue(spec: ChecksumSpec, value: string): boolean {
  return fromBase64(value)?.length === spec.bytes;
}

/**
 * S3's COMPOSITE value: the checksum, with the same algorithm, of the parts' raw checksums
 * concatenated in part order, base64, then "-" and the part count.
 */
export function compositeChecksum(spec: ChecksumSpec, partValues: readonly string[]): string {
  const sum = spec.create();
  for (const value of partValues) {
    const raw = fromBase64(value);
    if (raw?.length !== spec.bytes) throw new RangeError(`not a ${spec.wire} value: ${value}`);
    sum.update(raw);
  }
  return `${sum.digestBase64()}-${partValues.length}`;
}

/** S3's FULL_OBJECT value of a multipart object: the part CRCs combined, no byte read again. */
export function fullObjectChecksum(
  spec: ChecksumSpec,
  parts: readonly { checksum: string; size: number }[],
): string {
  if (!spec.types.includes("FULL_OBJECT") || spec.name === "sha1" || spec.name === "sha256") {
    throw new RangeError(`${spec.wire} has no FULL_OBJECT multipart checksum`);
  }
  return combineCrcBase64(spec.name, parts);
}

/** The type of a stored checksum: recorded with the object, or (older records) read from the "-N" suffix. */
export function checksumTypeOf(checksums: Record<string, string>, recorded?: ChecksumType): ChecksumType {
  if (recorded) return recorded;
  return Object.values(checksums).some((v) => /-\d+$/.test(v)) ? "COMPOSITE" : "FULL_OBJECT";
}
