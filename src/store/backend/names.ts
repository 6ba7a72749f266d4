import { randomBytes } from "node:crypto";
import { BackendError } from "./errors.js";

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const UPLOAD_ID = /^[A-Za-z0-9_-]{24}$/;
const MAX_KEY_BYTES = 1024;
export const MAX_PART_NUMBER = 10_000;

/**
 * S3's bucket naming rules. Both backends refuse anything else, and every accepted name is also a
 * safe single path segment (no "/", no "." or ".." since names start and end with a letter or digit).
 */
export function isValidBucketName(name: string): boolean {
  return BUCKET_NAME.test(name) && !name.includes("..");
}

/** Throws unless the key is one S3 accepts: 1 to 1024 bytes of well-formed UTF-8. */
export function assertValidKey(key: string): void {
  if (key.length === 0 || !key.isWellFormed() || Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) {
    throw new BackendError("InvalidKey", "object keys are 1 to 1024 bytes of well-formed UTF-8");
  }
}

export function assertValidPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new BackendError("InvalidArgument", `part numbers are integers from 1 to ${MAX_PART_NUMBER}`);
  }
}

/** 144 random bits, URL-safe. */
export function newUploadId(): string {
  return randomBytes(18).toString("base64url");
}

/** Upload ids come back from clients, so they are checked before any use (the fs backend uses them as paths). */
export function isWellFormedUploadId(id: string): boolean {
  return UPLOAD_ID.test(id);
}
