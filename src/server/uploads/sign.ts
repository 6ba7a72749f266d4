import { checksumHeader } from "../../core/policy/checksum-algorithm.js";
import type { PartPlan } from "../../core/policy/parts.js";
import type {
  MultipartInstruction,
  PartInstruction,
  PostInstruction,
  PutInstruction,
  RouteChecksumAlgorithm,
  UploadInstruction,
} from "../../core/protocol.js";
import type { StorageClient, StorageConfig, UrlLifetime, UrlWindow } from "../s3/types.js";
import { aclField, aclHeader } from "./canned-acl.js";
import { declaredChecksumHeader, multipartChecksumHeaders, partsNeedChecksum } from "./checksum-headers.js";
import { metadataHeaders } from "./object-metadata.js";
import type { PlannedUpload } from "./plan.js";

/**
 * Part URLs signed in a create answer (on uploads whose parts may go without a checksum); the rest of
 * a bigger plan comes from POST /v1/uploads/:id/parts.
 */
export const MAX_PART_URLS = 1000;

/**
 * A PUT that storage will take exactly once, with exactly this length, type, checksum, uploader
 * and (storage.acl) ACL: every one of those is a signed header.
 */
async function signPut(storage: StorageClient, p: PlannedUpload, window: UrlWindow): Promise<PutInstruction> {
  const headers: Record<string, string> = {
    "content-type": p.row.declaredType,
    "content-length": String(p.row.declaredSize),
    ...declaredChecksumHeader(p.row),
    "if-none-match": "*",
    ...metadataHeaders(p.metadata),
    ...aclHeader(storage.config),
  };
  const signed = await storage.presignPut(p.row.key, headers, window);
  return {
    id: p.row.id,
    key: p.row.key,
    expiresAt: signed.expiresAt.toISOString(),
    checksumAlgorithm: p.row.checksumAlgorithm ?? "sha256",
    method: "PUT",
    url: signed.url,
    headers: signed.headers,
  };
}

/** A form POST whose policy pins the key, every field (the ACL too) and the exact length (content-length-range). */
async function signPost(
  storage: StorageClient,
  p: PlannedUpload,
  window: UrlWindow,
): Promise<PostInstruction> {
  const fields: Record<string, string> = {
    "Content-Type": p.row.declaredType,
    ...metadataHeaders(p.metadata),
    ...declaredChecksumHeader(p.row),
    ...aclField(storage.config),
  };
  const size = p.row.declaredSize;
  const form = await storage.presignPost({
    key: p.row.key,
    fields,
    contentLengthRange: [size, size],
    expiresIn: window,
  });
  return {
    id: p.row.id,
    key: p.row.key,
    expiresAt: form.expiresAt.toISOString(),
    checksumAlgorithm: p.row.checksumAlgorithm ?? "sha256",
    method: "POST",
    url: form.url,
    fields: form.fields,
  };
}

/** The storage headers a multipart upload is created with (they become the object's, the ACL too). */
export function multipartCreateHeaders(p: PlannedUpload, config: StorageConfig): Record<string, string> {
  return {
    "content-type": p.row.declaredType,
    ...metadataHeaders(p.metadata),
    ...aclHeader(config),
    ...multipartChecksumHeaders(p.row.checksumAlgorithm ?? "sha256"),
  };
}

/**
 * Part URLs, each signing its part's exact length (and its checksum in the route's algorithm,
 * x-amz-checksum-<algorithm>, when the client gave one).
 */
export function signParts(
  storage: StorageClient,
  target: { key: string; uploadId: string },
  plan: PartPlan,
  partNumbers: readonly number[],
  expiresIn: UrlLifetime,
  checksums: Readonly<Record<string, string>> = {},
  algorithm: RouteChecksumAlgorithm = "sha256",
): Promise<PartInstruction[]> {
  return Promise.all(
    partNumbers.map(async (partNumber) => {
      const size = plan.sizes[partNumber - 1]!;
      const checksum = checksums[String(partNumber)];
      const headers = {
        "content-length": String(size),
        ...(checksum !== undefined && { [checksumHeader(algorithm)]: checksum }),
      };
      const signed = await storage.presignPart(target.key, target.uploadId, partNumber, headers, expiresIn);
      return { partNumber, size, url: signed.url, headers: signed.headers };
    }),
  );
}

/**
 * A multipart instruction. Its `parts` are URLs for the first parts, binding no checksum (none is
 * known at create), or none at all where storage would refuse such a part: on an upload created
 * COMPOSITE SHA-256 every part gets its URL, binding its SHA-256, from POST /v1/uploads/:id/parts.
 */
async function signMultipart(
  storage: StorageClient,
  p: PlannedUpload,
  window: UrlWindow,
): Promise<MultipartInstruction> {
  const plan = p.parts!;
  // The checksum headers multipartCreateHeaders() created the upload with, as /parts reads them.
  const usable = !partsNeedChecksum(multipartChecksumHeaders(p.row.checksumAlgorithm ?? "sha256"));
  const first = usable
    ? Array.from({ length: Math.min(plan.partCount, MAX_PART_URLS) }, (_, i) => i + 1)
    : [];
  const target = { key: p.row.key, uploadId: p.row.multipartUploadId! };
  const parts = await signParts(storage, target, plan, first, window);
  return {
    id: p.row.id,
    key: p.row.key,
    expiresAt: window.expiresAt.toISOString(),
    checksumAlgorithm: p.row.checksumAlgorithm ?? "sha256",
    method: "MULTIPART",
    uploadId: target.uploadId,
    partSize: plan.partSize,
    partCount: plan.partCount,
    parts,
  };
}

/**
 * The instruction for one planned upload; multipart ones must already have their storage upload id.
 * Its URLs share one window: `expiresAt` is when they all stop working (never after the credentials).
 */
export async function signUpload(
  storage: StorageClient,
  p: PlannedUpload,
  lifetime: UrlLifetime,
): Promise<UploadInstruction> {
  const window = typeof lifetime === "number" ? await storage.urlWindow(lifetime) : lifetime;
  if (p.strategy === "put") return signPut(storage, p, window);
  if (p.strategy === "post") return signPost(storage, p, window);
  return signMultipart(storage, p, window);
}

/** How many URLs or forms an instruction signed, for the signatures metric. */
export function signatureCount(instruction: UploadInstruction): number {
  return instruction.method === "MULTIPART" ? instruction.parts.length : 1;
}
