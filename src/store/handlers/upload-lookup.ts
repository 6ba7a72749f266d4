import { BackendError } from "../backend/errors.js";
import type { MultipartUpload } from "../backend/types.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { requireBucket } from "./common.js";

export function noSuchUpload(uploadId: string): S3Error {
  return new S3Error("NoSuchUpload", undefined, [["UploadId", uploadId]]);
}

/**
 * The multipart upload named by the signed `uploadId` query parameter, for this bucket and key
 * (NoSuchBucket, then NoSuchUpload). The id is read from the verified query, so a presigned part
 * URL can never be pointed at another upload.
 */
export async function requireUpload(ctx: RequestContext): Promise<MultipartUpload> {
  const upload = await findUpload(ctx);
  if (!upload) throw noSuchUpload(ctx.query.get("uploadId") ?? "");
  return upload;
}

/** The upload requireUpload names, or undefined when there is none (NoSuchBucket still throws). */
export async function findUpload(ctx: RequestContext): Promise<MultipartUpload | undefined> {
  const bucket = await requireBucket(ctx);
  const uploadId = ctx.query.get("uploadId") ?? "";
  return uploadId === "" || ctx.key === undefined
    ? undefined
    : await ctx.state.backend.getMultipartUpload(bucket.name, ctx.key, uploadId);
}

/** A backend refusal (the upload vanished under us, a part is gone) as S3's error; anything else is rethrown. */
export function backendRefusal(err: unknown, uploadId: string): never {
  if (err instanceof BackendError) {
    if (err.code === "NoSuchUpload") throw noSuchUpload(uploadId);
    if (err.code === "InvalidPart") throw new S3Error("InvalidPart");
    if (err.code === "NoSuchBucket") throw new S3Error("NoSuchBucket");
  }
  throw err;
}
