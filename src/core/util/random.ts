import { UpgateError } from "../errors.js";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

/** RFC 4648 base32, lower-case, without padding (16 bytes -> 26 characters). */
export function base32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let pending = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    pending += 8;
    while (pending >= 5) {
      pending -= 5;
      out += ALPHABET[(buffer >> pending) & 31];
    }
  }
  if (pending > 0) out += ALPHABET[(buffer << (5 - pending)) & 31];
  return out;
}

/** Random bytes are drawn this many at a time: one getRandomValues call serves ~256 ids. */
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let used = 0;

/**
 * `count` (at most POOL_BYTES) fresh random bytes. Each byte is handed out once: a spent pool is
 * replaced by a new array, never refilled in place, so earlier views never change.
 */
function randomBytes(count: number): Uint8Array {
  if (used + count > pool.length) {
    pool = globalThis.crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    used = 0;
  }
  used += count;
  return pool.subarray(used - count, used);
}

/**
 * A random id of at least `bits` bits from crypto.getRandomValues, as lower-case base32 without
 * padding: ceil(bits / 5) characters, so the default 128 bits gives 26. Safe in keys and URLs.
 */
export function randomId(bits = 128): string {
  if (!Number.isInteger(bits) || bits < 1 || bits > 4096) {
    throw new UpgateError(
      "CONFIG_INVALID",
      `randomId needs a whole number of bits from 1 to 4096, got ${bits}`,
    );
  }
  return base32(randomBytes(Math.ceil(bits / 8))).slice(0, Math.ceil(bits / 5));
}
