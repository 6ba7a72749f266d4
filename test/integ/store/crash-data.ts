/**
 * Seeded randomness and the object versions crash tests write: every version's bytes are unique
 * (an id up front, then a slice of a random pool), and the registry remembers, per key, every version
 * ever written to it with the metadata the store must return with those bytes.
 */
import { createHash } from "node:crypto";
import { multipartETag } from "../../../src/core/s3/etag.js";

export interface Random {
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return { int, pick: (items) => items[int(0, items.length - 1)]! };
}

export interface Version {
  key: string;
  bytes: Buffer;
  /** sha256 hex, also sent as x-amz-meta-sha256. */
  sha: string;
  /** sha256 base64, as x-amz-checksum-sha256 (single PUTs only). */
  checksum: string | undefined;
  /** The quoted ETag the store must return. */
  etag: string;
  contentType: string;
}

const CONTENT_TYPES = ["application/octet-stream", "image/png", "text/plain", "application/pdf"];
const ID_BYTES = 16;

export class Versions {
  readonly #pool: Buffer;
  readonly #byKey = new Map<string, Map<string, Version>>();
  #next = 0;

  constructor(
    readonly random: Random,
    poolBytes = 8 * 1024 * 1024,
  ) {
    this.#pool = Buffer.allocUnsafe(poolBytes);
    for (let i = 0; i + 4 <= poolBytes; i += 4) this.#pool.writeUInt32LE(random.int(0, 0xffffffff), i);
  }

  /** New bytes for `key`: a PUT body (with its checksum), or a multipart object cut at `partSizes`. */
  create(key: string, size: number, partSizes?: number[]): Version {
    if (size > this.#pool.length) throw new Error(`versions are at most ${this.#pool.length} bytes`);
    const bytes = Buffer.allocUnsafe(size);
    const id = Buffer.from(`v${String(++this.#next).padStart(ID_BYTES - 1, "0")}`);
    const offset = this.random.int(0, this.#pool.length - size);
    this.#pool.copy(bytes, 0, offset, offset + size);
    id.copy(bytes, 0, 0, Math.min(ID_BYTES, size));
    const sha = createHash("sha256").update(bytes);
    const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
    const etag = partSizes
      ? multipartETag(cut(bytes, partSizes).map((part) => `"${md5(part)}"`))
      : md5(bytes);
    const version: Version = {
      key,
      bytes,
      sha: sha.copy().digest("hex"),
      checksum: partSizes ? undefined : sha.digest("base64"),
      etag: `"${etag}"`,
      contentType: this.random.pick(CONTENT_TYPES),
    };
    const versions = this.#byKey.get(key) ?? new Map<string, Version>();
    this.#byKey.set(key, versions);
    versions.set(version.sha, version);
    return version;
  }

  /** The version of `key` with these bytes, if one was ever written. */
  find(key: string, sha: string): Version | undefined {
    return this.#byKey.get(key)?.get(sha);
  }
}

/** Splits bytes into consecutive parts of these sizes (the last takes the rest). */
export function cut(bytes: Buffer, partSizes: number[]): Buffer[] {
  const parts: Buffer[] = [];
  let offset = 0;
  for (const [i, size] of partSizes.entries()) {
    const end = i === partSizes.length - 1 ? bytes.length : offset + size;
    parts.push(bytes.subarray(offset, end));
    offset = end;
  }
  return parts;
}
