import { fromBase64 } from "../sigv4/crypto.js";

/** Whether `value` is a canonical padded base64 SHA-256 digest (44 characters, 32 bytes). */
export function isBase64Sha256(value: unknown): value is string {
  return typeof value === "string" && value.length === 44 && fromBase64(value)?.length === 32;
}

/** A clear reason a declared sha256 is unusable, with a hint for the usual mistake (hex). */
export function sha256Problem(value: unknown): string | undefined {
  if (isBase64Sha256(value)) return undefined;
  if (typeof value === "string" && /^[0-9a-f]{64}$/i.test(value)) {
    return 'sha256 must be base64 (44 characters ending in "="), not hex';
  }
  return 'sha256 must be the base64 SHA-256 of the file (44 characters ending in "=")';
}
