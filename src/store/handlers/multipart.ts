import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { sendEmpty, sendXml } from "../respond.js";
import { checkAclHeaders } from "./acl.js";
import { attributesFromRequest, requireBucket } from "./common.js";
import { partNumberOf } from "./part-number.js";
import { backendRefusal, requireUpload } from "./upload-lookup.js";

export { completeMultipartUpload } from "./multipart-complete.js";
export { listMultipartUploads, listParts } from "./multipart-list.js";

/** S3's part size ceiling; the 5 MiB floor is checked at CompleteMultipartUpload, not here. */
export const MAX_PART_SIZE = 5 * 1024 ** 3;

/** POST /bucket/key?uploads: content type, metadata and stored headers are fixed here for the final object. */
export async function createMultipartUpload(ctx: RequestContext): Promise<void> {
  const bucket = await requireBucket(ctx);
  const key = ctx.key!;
  checkAclHeaders(ctx.headers);
  const algorithm = checksumAlgorithm(ctx);
  const upload = await ctx.state.backend.createMultipartUpload(bucket.name, key, {
    ...attributesFromRequest(ctx),
    etag: "",
    checksums: {},
  });
  sendXml(
    ctx,
    200,
    "InitiateMultipartUploadResult",
    { Bucket: bucket.name, Key: key, UploadId: upload.uploadId },
    algorithm ? { "x-amz-checksum-algorithm": algorithm } : {},
  );
}

/** The algorithms S3 accepts in x-amz-checksum-algorithm. */
const S3_CHECKSUM_ALGORITHMS: ReadonlySet<string> = new Set([
  "CRC32",
  "CRC32C",
  "CRC64NVME",
  "SHA1",
  "SHA256",
]);

/**
 * x-amz-checksum-algorithm on CreateMultipartUpload, echoed as S3 does. The composite SHA-256 is kept
 * whenever every part carries a verified SHA-256, whatever was asked for here.
 */
function checksumAlgorithm(ctx: RequestContext): string | undefined {
  const value = ctx.headers.get("x-amz-checksum-algorithm");
  if (value === undefined) return undefined;
  if (!S3_CHECKSUM_ALGORITHMS.has(value.toUpperCase())) {
    throw new S3Error("InvalidRequest", `Checksum algorithm ${value} is not supported.`);
  }
  return value.toUpperCase();
}

/**
 * PUT /bucket/key?partNumber=N&uploadId=U. Both come from the signed query, so a presigned part URL
 * cannot be replayed as another part or against another upload. The body is verified (signature,
 * length, Content-MD5, checksums) as it streams into the staged part, which is committed only then.
 */
export async function uploadPart(ctx: RequestContext): Promise<void> {
  const partNumber = partNumberOf(ctx);
  const upload = await requireUpload(ctx);
  const backend = ctx.state.backend;
  const staged = await backend
    .stagePart(upload, partNumber)
    .catch((err) => backendRefusal(err, upload.uploadId));
  let body: Awaited<ReturnType<RequestContext["readBody"]>>;
  try {
    body = await ctx.readBody((chunk) => staged.write(chunk), { maxBytes: MAX_PART_SIZE });
  } catch (err) {
    await staged.abort();
    throw err;
  }
  const part = await staged.commit({ etag: body.etag, checksums: body.checksums }).catch(async (err) => {
    await staged.abort();
    return backendRefusal(err, upload.uploadId);
  });
  const headers: Record<string, string> = { etag: part.etag };
  for (const [alg, value] of Object.entries(body.checksums)) headers[`x-amz-checksum-${alg}`] = value;
  sendEmpty(ctx, 200, headers);
}

/** DELETE /bucket/key?uploadId=U: 204, or 404 NoSuchUpload. */
export async function abortMultipartUpload(ctx: RequestContext): Promise<void> {
  const upload = await requireUpload(ctx);
  await ctx.state.backend.abortMultipartUpload(upload).catch((err) => backendRefusal(err, upload.uploadId));
  sendEmpty(ctx, 204);
}
