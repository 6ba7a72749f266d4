import { hashPart } from "./hash-part.js";

/** Bytes at the start of a file that identify it for resume (with its name, size and mtime). */
export const FINGERPRINT_BYTES = 4 * 1024 * 1024;

/** The base64 SHA-256 of the file's first 4 MiB (the whole file if smaller): cheap at native speed. */
export function fileFingerprint(blob: Blob, signal?: AbortSignal): Promise<string> {
  return hashPart(blob.slice(0, Math.min(blob.size, FINGERPRINT_BYTES)), signal);
}
