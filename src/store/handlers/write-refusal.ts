import type { CommitRefusal, WriteConditions } from "../backend/types.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { preconditionFailed } from "./common.js";

/**
 * The S3 error for a refused conditional commit: 412 naming the header that failed, except that
 * If-Match on a key that does not exist is 404 NoSuchKey, as S3 answers.
 */
export async function refusalError(
  ctx: RequestContext,
  bucket: string,
  key: string,
  refusal: CommitRefusal,
  conditions: WriteConditions,
): Promise<S3Error> {
  if (refusal === "no-such-bucket") return new S3Error("NoSuchBucket", undefined, [["BucketName", bucket]]);
  const current = await ctx.state.backend.headObject(bucket, key);
  if (conditions.ifNoneMatch !== undefined && current) return preconditionFailed("If-None-Match");
  if (conditions.ifMatch !== undefined && !current)
    return new S3Error("NoSuchKey", undefined, [["Key", key]]);
  return preconditionFailed(conditions.ifMatch !== undefined ? "If-Match" : "If-None-Match");
}

/** x-amz-checksum-* response headers (and the checksum type) for the checksums an object was stored with. */
export function checksumHeaders(checksums: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [alg, value] of Object.entries(checksums)) out[`x-amz-checksum-${alg}`] = value;
  if (Object.keys(out).length > 0) out["x-amz-checksum-type"] = "FULL_OBJECT";
  return out;
}

/** Discards a staged write, keeping the error that caused it; a failing abort is only logged. */
export async function abortQuietly(ctx: RequestContext, staged: { abort(): Promise<void> }): Promise<void> {
  try {
    await staged.abort();
  } catch (err) {
    ctx.state.options.log?.({ msg: "abort of a staged write failed", err: String(err) });
  }
}
