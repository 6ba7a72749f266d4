import type { MultipartInstruction, PartInstruction, RouteChecksumAlgorithm } from "../../core/protocol.js";
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
  /** The upload's checksum algorithm: what part checksums are, and the whole-file value for complete. */
  algorithm: RouteChecksumAlgorithm;
  /** Each part's checksum in `algorithm` once hashed (saved for resume), by part number. */
  checksums: Map<number, string>;
  /**
   * Resume: parts the gateway says storage holds, with the checksum storage verified them against
   * when it keeps one, and the one this client recorded when it sent them. Kept only after the
   * local part hashes the same (see multipart.ts).
   */
  candidates: Map<number, { etag: string; checksum?: string; recorded?: string }>;
  /** An anonymous upload's capability (kept for resume). */
  capability?: string;
}

export function planFromInstruction(
  instruction: MultipartInstruction,
  size: number,
  algorithm: RouteChecksumAlgorithm,
): MultipartPlan {
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
    algorithm,
    checksums: new Map(),
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
    ...checksumsRecord(plan),
    expiresAt: plan.expiresAt,
    updatedAt: new Date().toISOString(),
    ...(plan.capability !== undefined && { capability: plan.capability }),
  };
}

/** Part checksums as a resume record keeps them: SHA-256s as always, CRCs with their algorithm. */
function checksumsRecord(plan: MultipartPlan): Pick<ResumeRecord, "sha256s" | "algorithm" | "partCrcs"> {
  const values = Object.fromEntries([...plan.checksums].map(([n, value]) => [String(n), value]));
  return plan.algorithm === "sha256" ? { sha256s: values } : { algorithm: plan.algorithm, partCrcs: values };
}

/** The byte offset where part n starts. */
export function partStart(plan: MultipartPlan, partNumber: number): number {
  return (partNumber - 1) * plan.partSize;
}
