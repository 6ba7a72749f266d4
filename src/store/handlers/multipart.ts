import { partChecksums } from "../checksums/part-checksum.js";
import { uploadChecksumOf } from "../checksums/upload-checksum.js";
import type { RequestContext } from "../context.js";
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
  const checksum = uploadChecksumOf(ctx.headers);
  const upload = await ctx.state.backend.createMultipartUpload(bucket.name, key, {
    ...attributesFromRequest(ctx),
    etag: "",
    checksums: {},
    ...(checksum ? { checksumAlgorithm: checksum.spec.name, checksumType: checksum.type } : {}),
  });
  sendXml(
    ctx,
    200,
    "InitiateMultipartUploadResult",
    { Bucket: bucket.name, Key: key, UploadId: upload.uploadId },
    checksum ? { "x-amz-checksum-algorithm": checksum.spec.wire, "x-amz-checksum-type": checksum.type } : {},
  );
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
  const checksums = partChecksums(upload.attributes, ctx.headers);
  const staged = await backend
    .stagePart(upload, partNumber)
    .catch((err) => backendRefusal(err, upload.uploadId));
  let body: Awaited<ReturnType<RequestContext["readBody"]>>;
  try {
    body = await ctx.readBody(
      checksums.wrap((chunk) => staged.write(chunk)),
      { maxBytes: MAX_PART_SIZE },
    );
  } catch (err) {
    await staged.abort();
    throw err;
  }
  const stored = checksums.result(body.checksums);
  const part = await staged.commit({ etag: body.etag, checksums: stored }).catch(async (err) => {
    await staged.abort();
    return backendRefusal(err, upload.uploadId);
  });
  const headers: Record<string, string> = { etag: part.etag };
  for (const [alg, value] of Object.entries(stored)) headers[`x-amz-checksum-${alg}`] = value;
  sendEmpty(ctx, 200, headers);
}

/** DELETE /bucket/key?uploadId=U: 204, or 404 NoSuchUpload. */
export async function abortMultipartUpload(ctx: RequestContext): Promise<void> {
  const upload = await requireUpload(ctx);
  await ctx.state.backend.abortMultipartUpload(upload).catch((err) => backendRefusal(err, upload.uploadId));
  sendEmpty(ctx, 204);
}
