import type { RouteChecksumAlgorithm } from "../../core/protocol.js";

/**
 * The hash part of a resume key for a file hashed whole before create: its SHA-256 as is (as
 * always), a CRC with its algorithm's name ("crc64nvme:<base64>"), so values never mix.
 */
export function wholeFileKeyHash(algorithm: RouteChecksumAlgorithm, checksum: string): string {
  return algorithm === "sha256" ? checksum : `${algorithm}:${checksum}`;
}

/** What identifies a file across page reloads (File objects do not survive one). */
export interface FileIdentity {
  name: string;
  size: number;
  lastModified: number;
}

/**
 * The resume key: name, size, last-modified time and a hash (the whole file's SHA-256 when it was
 * hashed before create, else fileFingerprint: the SHA-256 of its first 4 MiB), so a different file
 * with the same name and size does not match. It only finds the candidate record: on resume every
 * part is hashed again and kept only if storage holds that very part (flow/multipart.ts), so a file
 * changed elsewhere is caught part by part.
 */
export function resumeKey(file: FileIdentity, fingerprint: string): string {
  return JSON.stringify(["upgate-resume-2", file.name, file.size, file.lastModified, fingerprint]);
}

/** The file a resume key names (name, size, last-modified time), or undefined for another format. */
export function identityOfKey(key: string): FileIdentity | undefined {
  try {
    const parts = JSON.parse(key) as unknown;
    if (!Array.isArray(parts) || parts[0] !== "upgate-resume-2") return undefined;
    const [, name, size, lastModified] = parts as [string, unknown, unknown, unknown];
    if (typeof name !== "string" || typeof size !== "number" || typeof lastModified !== "number") {
      return undefined;
    }
    return { name, size, lastModified };
  } catch {
    return undefined;
  }
}
