import { createHash } from "node:crypto";
import type { XmlNode } from "../../core/s3/xml.js";
import type { RequestContext } from "../context.js";

/**
 * The Owner element S3 puts in listings: a 64-hex canonical user id (derived from the access key id
 * that signed the request, so it is stable) and a display name.
 */
export function ownerOf(ctx: RequestContext): XmlNode {
  const accessKeyId = ctx.auth?.accessKeyId ?? "anonymous";
  const id = createHash("sha256").update(`upgate-store:${accessKeyId}`).digest("hex");
  return { ID: id, DisplayName: accessKeyId };
}
