import { multipartETag } from "../../core/s3/etag.js";
import type { XmlNode } from "../../core/s3/xml.js";
import { children, singleChildText } from "../../core/s3/xml-read.js";
import type { MultipartUpload, ObjectMeta, PartInfo } from "../backend/types.js";
import { completeChecksums, type PlannedPart, plannedChecksums } from "../checksums/complete-checksum.js";
import { checksumElements, checksumTypeOf } from "../checksums/response.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { sendXml } from "../respond.js";
import { readXmlBody } from "../xml-body.js";
import { writeConditions } from "./common.js";
import { objectLocation } from "./location.js";
import { backendRefusal, findUpload, noSuchUpload } from "./upload-lookup.js";
import { refusalError } from "./write-refusal.js";

/** Every part but the last must be at least 5 MiB (checked here, as S3 does, not at UploadPart). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** 10,000 parts with checksums fit comfortably. */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

type RequestedPart = PlannedPart;

/** The ETag without its quotes (clients send it quoted, as &quot;...&quot;, or bare), lower-cased. */
const bareEtag = (etag: string) =>
  etag
    .trim()
    .replace(/^"(.*)"$/, "$1")
    .toLowerCase();

/** The CompleteMultipartUpload document's parts, in the order given; MalformedXML when absent or incomplete. */
export function parsePlan(body: Buffer): RequestedPart[] {
  if (body.length === 0) throw new S3Error("MalformedXML");
  return readXmlBody(body, "CompleteMultipartUpload", ["Part"], (root) => {
    const parts = children(root, "Part");
    if (parts.length === 0) throw new S3Error("MalformedXML");
    return parts.map((part) => {
      const number = singleChildText(part, "PartNumber")?.trim() ?? "";
      const etag = singleChildText(part, "ETag")?.trim() ?? "";
      if (!/^\d{1,9}$/.test(number) || bareEtag(etag) === "") throw new S3Error("MalformedXML");
      return {
        partNumber: Number(number),
        etag,
        checksums: plannedChecksums((name) => singleChildText(part, name)),
      };
    });
  });
}

/**
 * The plan with one entry per part number: numbers must not decrease (InvalidPartOrder), and a
 * number listed more than once (a part uploaded again while its first upload was still running,
 * each ETag appended as its upload finished) counts once, with the ETag listed last, as Ceph RGW
 * reads it.
 */
export function normalizePlan<T extends { partNumber: number }>(plan: T[]): T[] {
  const out: T[] = [];
  for (const part of plan) {
    const last = out.at(-1);
    if (last && part.partNumber < last.partNumber) throw new S3Error("InvalidPartOrder");
    if (last?.partNumber === part.partNumber) out[out.length - 1] = part;
    else out.push(part);
  }
  return out;
}

function invalidPart(upload: MultipartUpload, part: RequestedPart): S3Error {
  return new S3Error("InvalidPart", undefined, [
    ["UploadId", upload.uploadId],
    ["PartNumber", String(part.partNumber)],
    ["ETag", part.etag],
  ]);
}

/** Checks the plan against the stored parts (presence, ETags, sizes) and returns the parts to assemble. */
function checkPlan(upload: MultipartUpload, plan: RequestedPart[], stored: PartInfo[]): PartInfo[] {
  const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
  const chosen = plan.map((requested) => {
    const part = byNumber.get(requested.partNumber);
    if (!part || bareEtag(part.etag) !== bareEtag(requested.etag)) throw invalidPart(upload, requested);
    return part;
  });
  chosen.forEach((part, i) => {
    if (i < chosen.length - 1 && part.size < MIN_PART_SIZE) {
      throw new S3Error("EntityTooSmall", undefined, [
        ["ProposedSize", String(part.size)],
        ["MinSizeAllowed", String(MIN_PART_SIZE)],
        ["PartNumber", String(part.partNumber)],
        ["ETag", bareEtag(part.etag)],
      ]);
    }
  });
  return chosen;
}

/** The optional x-amz-mp-object-size header must equal the assembled size. */
function checkDeclaredSize(ctx: RequestContext, parts: PartInfo[]): void {
  const declared = ctx.headers.get("x-amz-mp-object-size");
  if (declared === undefined) return;
  const actual = parts.reduce((sum, p) => sum + p.size, 0);
  if (!/^\d{1,16}$/.test(declared) || Number(declared) !== actual) {
    throw new S3Error(
      "InvalidRequest",
      `The provided 'x-amz-mp-object-size' header value ${declared} does not match what was computed: ${actual}`,
    );
  }
}

function sendResult(ctx: RequestContext, bucket: string, key: string, meta: ObjectMeta): void {
  const body: XmlNode = {
    Location: objectLocation(ctx, bucket, key),
    Bucket: bucket,
    Key: key,
    ETag: meta.etag,
  };
  Object.assign(body, checksumElements(meta.checksums));
  if (Object.keys(meta.checksums).length > 0)
    body.ChecksumType = checksumTypeOf(meta.checksums, meta.checksumType);
  sendXml(ctx, 200, "CompleteMultipartUploadResult", body);
}

/**
 * A Complete repeated after its upload was completed (a client retrying a lost response): S3 answers
 * 200 again with the same result while the object the upload made is still there. Here: while the
 * key's current object was made by this upload and the plan describes it (same multipart ETag).
 */
async function answerRepeatedComplete(ctx: RequestContext): Promise<void> {
  const uploadId = ctx.query.get("uploadId") ?? "";
  const meta = uploadId === "" ? undefined : await ctx.state.backend.headObject(ctx.bucket!, ctx.key ?? "");
  if (!meta || meta.completedUpload !== uploadId) throw noSuchUpload(uploadId);
  const plan = normalizePlan(
    parsePlan(await ctx.readSmallBody(MAX_REQUEST_BYTES, { checksumHeaders: false })),
  );
  let etag: string;
  try {
    etag = `"${multipartETag(plan.map((p) => p.etag))}"`;
  } catch {
    throw noSuchUpload(uploadId);
  }
  if (etag !== meta.etag) throw noSuchUpload(uploadId);
  sendResult(ctx, ctx.bucket!, meta.key, meta);
}

/**
 * POST /bucket/key?uploadId=U with a CompleteMultipartUpload document. The ETag is S3's
 * md5-of-md5s with a "-N" suffix. A refused request leaves the upload and its parts untouched.
 */
export async function completeMultipartUpload(ctx: RequestContext): Promise<void> {
  const conditions = writeConditions(ctx);
  const upload = await findUpload(ctx);
  if (!upload) return answerRepeatedComplete(ctx);
  const plan = normalizePlan(
    parsePlan(await ctx.readSmallBody(MAX_REQUEST_BYTES, { checksumHeaders: false })),
  );
  const backend = ctx.state.backend;
  const stored = await backend.listParts(upload).catch((err) => backendRefusal(err, upload.uploadId));
  const parts = checkPlan(upload, plan, stored);
  checkDeclaredSize(ctx, parts);
  const { checksums, partChecksums } = completeChecksums(
    upload.uploadId,
    upload.attributes,
    ctx.headers,
    plan,
    parts,
  );
  const etag = `"${multipartETag(parts.map((p) => p.etag))}"`;
  const result = await backend
    .completeMultipartUpload(
      upload,
      parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
      etag,
      conditions,
      checksums,
      partChecksums,
    )
    .catch((err) => backendRefusal(err, upload.uploadId));
  if (typeof result === "string")
    throw await refusalError(ctx, upload.bucket, upload.key, result, conditions);
  sendResult(ctx, upload.bucket, upload.key, result);
}
