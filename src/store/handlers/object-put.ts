import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { sendEmpty } from "../respond.js";
import { checkAclHeaders } from "./acl.js";
import { attributesFromRequest, requireBucket, writeConditions } from "./common.js";
import { abortQuietly, checksumHeaders, refusalError } from "./write-refusal.js";

export { copyObject } from "./object-copy.js";

/**
 * PUT /bucket/key: the verified body is staged, then committed atomically under the request's
 * If-None-Match / If-Match. Nothing becomes visible unless every check passed; any failure discards
 * the staged bytes.
 */
export async function putObject(ctx: RequestContext): Promise<void> {
  const bucket = await requireBucket(ctx);
  const key = ctx.key!;
  const conditions = writeConditions(ctx);
  checkAclHeaders(ctx.headers);
  const attributes = attributesFromRequest(ctx);
  const staged = await ctx.state.backend.stageObject(bucket.name, key);
  if (!staged) throw new S3Error("NoSuchBucket", undefined, [["BucketName", bucket.name]]);
  let committed = false;
  try {
    const body = await ctx.readBody((chunk) => staged.write(chunk));
    const result = await staged.commit(
      { ...attributes, etag: body.etag, checksums: body.checksums },
      conditions,
    );
    if (typeof result === "string") throw await refusalError(ctx, bucket.name, key, result, conditions);
    committed = true;
    sendEmpty(ctx, 200, { etag: result.etag, ...checksumHeaders(body.checksums) });
  } finally {
    if (!committed) await abortQuietly(ctx, staged);
  }
}
