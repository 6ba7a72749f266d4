import type { XmlNode } from "../../core/s3/xml.js";
import type { RequestContext } from "../context.js";
import { corsResponseHeaders, matchCorsRule, parseRequestHeaderList } from "../cors.js";
import { MAX_CORS_DOCUMENT_BYTES, parseCorsConfiguration } from "../cors-parse.js";
import { S3Error } from "../errors.js";
import { sendEmpty, sendXml } from "../respond.js";
import { requireBucket } from "./common.js";

const CORS_NOT_ENABLED = "CORSResponse: CORS is not enabled for this bucket.";
const CORS_NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

/** PutBucketCors requires an integrity check on its body: Content-MD5 or an x-amz-checksum-* header or trailer. */
function requireIntegrityHeader(ctx: RequestContext): void {
  if (ctx.headers.has("content-md5")) return;
  for (const name of ctx.headers.keys()) {
    if (
      name.startsWith("x-amz-checksum-") &&
      name !== "x-amz-checksum-type" &&
      name !== "x-amz-checksum-mode"
    )
      return;
  }
  if ((ctx.headers.get("x-amz-trailer") ?? "").toLowerCase().includes("x-amz-checksum-")) return;
  throw new S3Error("InvalidRequest", "Missing required header for this request: Content-MD5");
}

/** PUT /bucket?cors */
export async function putBucketCors(ctx: RequestContext): Promise<void> {
  const bucket = await requireBucket(ctx);
  requireIntegrityHeader(ctx);
  const rules = parseCorsConfiguration(await ctx.readSmallBody(MAX_CORS_DOCUMENT_BYTES));
  if (!(await ctx.state.backend.setBucketCors(bucket.name, rules))) {
    throw new S3Error("NoSuchBucket", undefined, [["BucketName", bucket.name]]);
  }
  sendEmpty(ctx, 200);
}

/** GET /bucket?cors: 404 NoSuchCORSConfiguration when none is set. */
export async function getBucketCors(ctx: RequestContext): Promise<void> {
  const bucket = await requireBucket(ctx);
  if (!bucket.cors || bucket.cors.length === 0) {
    throw new S3Error("NoSuchCORSConfiguration", undefined, [["BucketName", bucket.name]]);
  }
  const rules: XmlNode[] = bucket.cors.map((rule) => ({
    ID: rule.id,
    AllowedHeader: rule.allowedHeaders,
    AllowedMethod: rule.allowedMethods,
    AllowedOrigin: rule.allowedOrigins,
    ExposeHeader: rule.exposeHeaders,
    MaxAgeSeconds: rule.maxAgeSeconds,
  }));
  sendXml(ctx, 200, "CORSConfiguration", { CORSRule: rules });
}

/** DELETE /bucket?cors: 204 whether or not a configuration existed. */
export async function deleteBucketCors(ctx: RequestContext): Promise<void> {
  const bucket = await requireBucket(ctx);
  await ctx.state.backend.setBucketCors(bucket.name, undefined);
  sendEmpty(ctx, 204);
}

/**
 * OPTIONS /bucket[/key], unauthenticated: the first rule allowing the origin, the requested method
 * and every requested header answers 200 with the CORS headers (requested headers echoed).
 */
export async function preflight(ctx: RequestContext): Promise<void> {
  const origin = ctx.headers.get("origin");
  if (!origin) throw new S3Error("BadRequest", "Insufficient information. Origin request header needed.");
  const method = ctx.headers.get("access-control-request-method");
  if (!method) throw new S3Error("BadRequest", "Invalid Access-Control-Request-Method: null");
  const bucket = await requireBucket(ctx);
  // AWS names the refused method and resource in the error body.
  const details: Array<[string, string]> = [
    ["Method", method],
    ["ResourceType", ctx.key === undefined ? "BUCKET" : "OBJECT"],
  ];
  if (!bucket.cors || bucket.cors.length === 0)
    throw new S3Error("AccessForbidden", CORS_NOT_ENABLED, details);
  const requested = parseRequestHeaderList(ctx.headers.get("access-control-request-headers"));
  const rule = matchCorsRule(bucket.cors, origin, method, requested);
  if (!rule) throw new S3Error("AccessForbidden", CORS_NOT_ALLOWED, details);
  sendEmpty(
    ctx,
    200,
    corsResponseHeaders(rule, origin, requested.length > 0 ? requested.join(", ") : undefined),
  );
}
