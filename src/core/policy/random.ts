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
  const bytes = new Uint8Array(Math.ceil(bits / 8));
  globalThis.crypto.getRandomValues(bytes);
  return base32(bytes).slice(0, Math.ceil(bits / 5));
}
