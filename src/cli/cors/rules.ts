import type { CorsRule } from "../../core/s3/cors.js";
import type { ResolvedRoute } from "../../server/config/resolved.js";

/** The id of the rule `upgate cors apply` owns; rules with other ids are kept as they are. */
export const CORS_RULE_ID = "upgate";

/** Headers the gateway signs into browser PUTs (single and part uploads). */
export const SIGNED_HEADERS = [
  "content-type",
  "x-amz-checksum-sha256",
  "if-none-match",
  "x-amz-meta-upgate-user",
  "x-amz-meta-upgate-upload",
] as const;

/** Signed into PUT and part URLs of routes whose checksum.algorithm is a CRC (not sha256). */
export const CRC_CHECKSUM_HEADERS = ["x-amz-checksum-crc64nvme", "x-amz-checksum-crc32c"] as const;

/** Signed into every PUT URL when storage.acl is set (see canned-acl.ts). */
export const ACL_HEADER = "x-amz-acl";

/** A route metadata function may set any x-amz-meta-* name: only a wildcard covers what it returns. */
export const METADATA_WILDCARD = "x-amz-meta-*";

export const CORS_METHODS = ["PUT", "POST", "GET", "HEAD"] as const;

export type CorsMethod = (typeof CORS_METHODS)[number];

/**
 * The request headers browsers will send to storage: the signed ones, x-amz-acl when storage.acl
 * is set (only then, so a bucket set up before the setting existed needs no change), the
 * x-amz-checksum-<crc> of routes checksummed with a CRC (likewise), route metadata, and extras.
 */
export function requiredHeaders(
  routes: ReadonlyMap<string, ResolvedRoute>,
  extra: readonly string[] = [],
  storage: { acl?: string } = {},
): string[] {
  const headers: string[] = [...SIGNED_HEADERS];
  if (storage.acl !== undefined) headers.push(ACL_HEADER);
  for (const route of routes.values()) {
    const { checksumAlgorithm } = route.policy;
    const name = `x-amz-checksum-${checksumAlgorithm}`;
    if (checksumAlgorithm !== "sha256" && !headers.includes(name)) headers.push(name);
  }
  if ([...routes.values()].some((route) => route.metadata !== undefined)) headers.push(METADATA_WILDCARD);
  for (const name of extra.map((h) => h.trim().toLowerCase()))
    if (name && !headers.includes(name)) headers.push(name);
  return headers;
}

/** Methods a browser uses against the bucket: POST only matters for routes with strategy "post". */
export function requiredMethods(routes: ReadonlyMap<string, ResolvedRoute>): CorsMethod[] {
  const post = [...routes.values()].some((route) => route.policy.strategy === "post");
  return post ? ["PUT", "POST", "GET", "HEAD"] : ["PUT", "GET", "HEAD"];
}

/** The rule the configured routes need: every method, the signed headers, and ETag exposed (multipart reads it). */
export function upgateRule(
  origins: readonly string[] | "*",
  headers: readonly string[],
  maxAgeSeconds: number,
): CorsRule {
  return {
    id: CORS_RULE_ID,
    allowedOrigins: origins === "*" ? ["*"] : [...origins],
    allowedMethods: [...CORS_METHODS],
    allowedHeaders: [...headers],
    exposeHeaders: ["ETag"],
    maxAgeSeconds,
  };
}

/**
 * The bucket's rules with ours first (S3 answers with the first rule that matches, so a broader
 * older rule cannot hide ETag) and every rule of other owners kept after it.
 */
export function mergeRules(current: readonly CorsRule[] | undefined, ours: CorsRule): CorsRule[] {
  return [ours, ...(current ?? []).filter((rule) => rule.id !== ours.id)];
}
