import type { RouteChecksumAlgorithm } from "../../core/protocol.js";

/** What the client keeps about an unfinished multipart upload, to resume it after a reload. */
export interface ResumeRecord {
  /** resumeKey(file, fingerprint): name, size, last-modified time and the hash of the file's start. */
  key: string;
  /** The gateway's upload id. */
  id: string;
  route: string;
  /** The storage's multipart upload id and the object key (for people debugging; not trusted). */
  uploadId: string;
  objectKey: string;
  /** The fixed part plan. */
  partSize: number;
  sizes: number[];
  /** ETags of the parts this client saw stored, by part number. A hint only: the gateway decides. */
  etags: Record<string, string>;
  /** Base64 SHA-256 of each part hashed so far, by part number (older records have none). */
  sha256s?: Record<string, string>;
  /** The upload's checksum algorithm when not SHA-256 (the part CRCs are then in partCrcs). */
  algorithm?: Exclude<RouteChecksumAlgorithm, "sha256">;
  /** Base64 CRC (in `algorithm`) of each part hashed so far, by part number. */
  partCrcs?: Record<string, string>;
  /** ISO 8601, from the gateway. */
  expiresAt: string;
  updatedAt: string;
  /** An anonymous upload's capability: what lets this client continue it. */
  capability?: string;
}

/** Where resume records live: IndexedDB in browsers, memory elsewhere, or anything injected. */
export interface StateStore {
  get(key: string): Promise<ResumeRecord | undefined>;
  put(record: ResumeRecord): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every record (for offering resumes after a reload); stores without it offer none. */
  list?(): Promise<ResumeRecord[]>;
}
