import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";

/**
 * Buckets here are never versioned: S3 then accepts only the "null" version id and refuses others
 * with 400 InvalidArgument.
 */
export function checkVersionId(ctx: RequestContext): void {
  const versionId = ctx.query.get("versionId");
  if (versionId === undefined || versionId === "null") return;
  throw new S3Error("InvalidArgument", "Invalid version id specified", [
    ["ArgumentName", "versionId"],
    ["ArgumentValue", versionId],
  ]);
}
