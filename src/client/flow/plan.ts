import type { MultipartInstruction, PartInstruction } from "../../core/protocol.js";
import type { ResumeRecord } from "../state/types.js";

/** A multipart upload as the client drives it: the fixed plan, known URLs and the parts stored. */
export interface MultipartPlan {
  id: string;
  uploadId: string;
  objectKey: string;
  partSize: number;
  /** Byte length of part n at index n - 1. */
  sizes: number[];
  /** URLs already signed (without part checksums), by part number. */
  urls: Map<number, PartInstruction>;
  /** ISO 8601 expiry of those URLs. */
  expiresAt: string;
  /** ETags of the parts storage holds, by part number. */
  etags: Map<number, string>;
  /** Each part's SHA-256 once hashed (saved for resume), by part number. */
  sha256s: Map<number, string>;
  /**
   * Resume: parts the gateway says storage holds, with the SHA-256 storage verified them against
   * when it keeps one, and the hash this client recorded when it sent them. Kept only after the
   * local part hashes the same (see multipart.ts).
   */
  candidates: Map<number, { etag: string; sha256?: string; recorded?: string }>;
  /** An anonymous upload's capability (kept for resume). */
  capability?: string;
}

export function planFromInstruction(instruction: MultipartInstruction, size: number): MultipartPlan {
  const sizes: number[] = [];
  for (let n = 1; n <= instruction.partCount; n++) {
    sizes.push(Math.min(instruction.partSize, size - (n - 1) * instruction.partSize));
  }
  for (const part of instruction.parts) sizes[part.partNumber - 1] = part.size;
  return {
    id: instruction.id,
    uploadId: instruction.uploadId,
    objectKey: instruction.key,
    partSize: instruction.partSize,
    sizes,
    urls: new Map(instruction.parts.map((p) => [p.partNumber, p])),
    expiresAt: instruction.expiresAt,
    etags: new Map(),
    sha256s: new Map(),
    candidates: new Map(),
    ...(instruction.capability !== undefined && { capability: instruction.capability }),
  };
}

export function recordFromPlan(plan: MultipartPlan, key: string, route: string): ResumeRecord {
  return {
    key,
    id: plan.id,
    route,
    uploadId: plan.uploadId,
    objectKey: plan.objectKey,
    partSize: plan.partSize,
    sizes: plan.sizes.slice(),
    etags: Object.fromEntries([...plan.etags].map(([n, etag]) => [String(n), etag])),
    sha256s: Object.fromEntries([...plan.sha256s].map(([n, sha256]) => [String(n), sha256])),
    expiresAt: plan.expiresAt,
    updatedAt: new Date().toISOString(),
    ...(plan.capability !== undefined && { capability: plan.capability }),
  };
}

/** The byte offset where part n starts. */
export function partStart(plan: MultipartPlan, partNumber: number): number {
  return (partNumber - 1) * plan.partSize;
}
