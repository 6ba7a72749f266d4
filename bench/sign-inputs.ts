/**
 * The one upload every implementation presigns: a path-style PUT whose URL binds content type,
 * exact size, SHA-256 checksum, write-once and one piece of uploader metadata. Only the key changes
 * between iterations, as it does in production (the server picks a random key per upload).
 */
import { randomBytes } from "node:crypto";

export const ENDPOINT = "https://s3.us-east-1.amazonaws.com";
export const HOST = "s3.us-east-1.amazonaws.com";
export const BUCKET = "upgate-bench";
export const REGION = "us-east-1";
export const EXPIRES_IN = 300;
export const DATE = new Date("2025-06-01T12:00:00Z");
export const CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

export const CONTENT_TYPE = "image/png";
export const CONTENT_LENGTH = 1_048_576;
/** Base64 SHA-256 of a 1 MiB body of zero bytes. */
export const CHECKSUM_SHA256 = "MOFJVevxNSJm3C/4Bn5oEEYH51CrudOzZYK4r5Cfy1g=";
export const USER = "user-42";

/** The headers the browser must send, all of them signed (x-amz-meta-* may be hoisted to the query). */
export const SIGNED_HEADERS = {
  "content-type": CONTENT_TYPE,
  "content-length": String(CONTENT_LENGTH),
  "x-amz-checksum-sha256": CHECKSUM_SHA256,
  "if-none-match": "*",
  "x-amz-meta-upgate-user": USER,
} as const;

/** Server-chosen keys: `{prefix}/{userId}/{128 random bits as hex}.png`, made before timing starts. */
export function randomKeys(count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) keys.push(`uploads/${USER}/${randomBytes(16).toString("hex")}.png`);
  return keys;
}
