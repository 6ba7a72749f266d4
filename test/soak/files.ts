import { createCipheriv, createHash } from "node:crypto";
import { KiB, MiB } from "./options.js";
import { logUniform, type Random } from "./random.js";

/** Files above this size go multipart (the soak route's multipartThreshold). */
export const MULTIPART_THRESHOLD = 8 * MiB;
export const PART_SIZE = 5 * MiB;

/**
 * A file size from 1 KiB to `max`: mostly small, a third medium, one in eight large enough for
 * multipart (when `max` allows).
 */
export function pickSize(random: Random, max: number): number {
  const roll = random();
  const small = Math.min(256 * KiB, max);
  const medium = Math.min(MULTIPART_THRESHOLD, max);
  if (roll < 0.55) return logUniform(random, KiB, small);
  if (roll < 0.88) return logUniform(random, small, medium);
  return logUniform(random, Math.min(MULTIPART_THRESHOLD + 1, max), max);
}

export interface SoakFile {
  file: File;
  /** Base64, as the gateway records it. */
  sha256: string;
}

const CHUNK = 4 * MiB;

/**
 * `size` deterministic bytes for (seed, index): AES-128-CTR over zeros, which is fast, so even 50 MiB
 * files cost little CPU. The first two bytes ("x", NUL) match no file-type signature, so sniffing
 * keeps the declared application/octet-stream.
 */
export function makeFile(seed: number, index: number, size: number): SoakFile {
  const key = createHash("sha256").update(`upgate-soak:${seed}:${index}`).digest();
  const cipher = createCipheriv("aes-128-ctr", key.subarray(0, 16), key.subarray(16, 32));
  const hash = createHash("sha256");
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < size; offset += CHUNK) {
    const chunk = cipher.update(Buffer.alloc(Math.min(CHUNK, size - offset)));
    if (offset === 0) {
      chunk[0] = 0x78;
      if (chunk.length > 1) chunk[1] = 0x00;
    }
    hash.update(chunk);
    chunks.push(chunk);
  }
  const file = new File(chunks, `soak-${seed}-${index}.bin`, { type: "application/octet-stream" });
  return { file, sha256: hash.digest("base64") };
}
