import { z } from "zod";
import { ROUTE_CHECKSUM_ALGORITHMS } from "../../core/policy/checksum-algorithm.js";
import { validateKeyTemplate } from "../../core/policy/keys.js";
import { MAX_PART_SIZE, MAX_SINGLE_UPLOAD, MIN_PART_SIZE } from "../../core/policy/limits.js";
import { normalizeTypePattern } from "../../core/policy/mime.js";
import { formatSize } from "../../core/policy/sizes.js";
import { MAX_EXPIRES_SECONDS } from "../../core/sigv4/presign.js";
import { duration, fn, httpUrl, isFunction, oneOf, size } from "./schema-helpers.js";
import type { BeforeUploadHook, KeyFunction, MetadataFunction, UploadCompleteHook } from "./types.js";

export const ROUTE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

const typePattern = z.string().transform((value, ctx) => {
  const pattern = normalizeTypePattern(value);
  if (pattern === undefined) {
    ctx.addIssue({
      code: "custom",
      message: `${JSON.stringify(value)} is not a MIME type pattern like "image/png", "image/*" or "*/*"`,
    });
    return z.NEVER;
  }
  return pattern;
});

const keyTemplate = z.string().transform((value, ctx) => {
  try {
    validateKeyTemplate(value);
    return value;
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
});

/** "total" (no window), or a rolling window such as "day", "hour" or "7d", in milliseconds. */
const period = z.union([z.literal("total"), duration]).transform((value, ctx) => {
  if (value === "total") return undefined;
  if (value < 1000) {
    ctx.addIssue({ code: "custom", message: 'a quota period must be at least 1 second (or "total")' });
    return z.NEVER;
  }
  return value;
});

const quota = z
  .strictObject({
    bytes: size.optional(),
    files: z.number().int().min(1).optional(),
    period: period.optional(),
  })
  .refine((q) => q.bytes !== undefined || q.files !== undefined, {
    error: "a quota needs bytes, files or both",
  });

export const routeSchema = z
  .strictObject({
    label: z.string().min(1).max(100).optional(),
    types: z.array(typePattern).min(1, 'list at least one type, such as "image/png" or "image/*"'),
    maxSize: size,
    minSize: size.optional(),
    maxFiles: z.number().int().min(1).max(1000).optional(),
    expiresIn: duration.optional(),
    checksum: z
      .union(
        [
          z.enum(["required", "optional"]),
          z.strictObject({
            mode: z.enum(["required", "optional"]).optional(),
            algorithm: z.enum(ROUTE_CHECKSUM_ALGORITHMS).optional(),
          }),
        ],
        {
          error: `must be "required", "optional" or { mode?: "required" | "optional", algorithm?: ${ROUTE_CHECKSUM_ALGORITHMS.map((a) => `"${a}"`).join(" | ")} }`,
        },
      )
      .optional(),
    strategy: z.enum(["auto", "put", "post", "multipart"]).optional(),
    multipartThreshold: size.optional(),
    partSize: size.optional(),
    sniff: z.boolean().optional(),
    inline: z.array(typePattern).optional(),
    public: z.boolean().optional(),
    key: oneOf(isFunction, z.custom<KeyFunction>(isFunction), keyTemplate).optional(),
    metadata: fn<MetadataFunction>("metadata").optional(),
    quota: quota.optional(),
    routeQuota: quota.optional(),
    rateLimit: z.strictObject({ perMinute: z.number().int().min(1).max(1_000_000) }).optional(),
    onBeforeUpload: fn<BeforeUploadHook>("onBeforeUpload").optional(),
    onUploadComplete: fn<UploadCompleteHook>("onUploadComplete").optional(),
    webhook: z
      .strictObject({
        url: httpUrl("webhook.url").transform((url) => url.href),
        secret: z.string().min(16, "a webhook secret must be at least 16 characters"),
      })
      .optional(),
  })
  .superRefine((route, ctx) => {
    const problem = (path: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [path], message });
    if (route.maxSize < 1) problem("maxSize", "must be at least 1 byte");
    if (route.minSize !== undefined && route.minSize > route.maxSize) {
      problem(
        "minSize",
        `is more than maxSize (${formatSize(route.minSize)} > ${formatSize(route.maxSize)})`,
      );
    }
    if ((route.strategy === "put" || route.strategy === "post") && route.maxSize > MAX_SINGLE_UPLOAD) {
      problem(
        "maxSize",
        `${formatSize(route.maxSize)} is more than one ${route.strategy.toUpperCase()} can carry (${formatSize(MAX_SINGLE_UPLOAD)}); use strategy "auto" or "multipart"`,
      );
    }
    if (route.expiresIn !== undefined) {
      const seconds = route.expiresIn / 1000;
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_EXPIRES_SECONDS) {
        problem("expiresIn", `must be a whole number of seconds from 1 second to 7 days`);
      }
    }
    if (route.partSize !== undefined && (route.partSize < MIN_PART_SIZE || route.partSize > MAX_PART_SIZE)) {
      problem("partSize", `must be from 5 MB to 5 GB (S3's part limits), got ${formatSize(route.partSize)}`);
    }
    if (route.multipartThreshold !== undefined && route.multipartThreshold < 1) {
      problem("multipartThreshold", "must be at least 1 byte");
    }
  });

export type ParsedRoute = z.output<typeof routeSchema>;
