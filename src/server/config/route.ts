import { DEFAULT_KEY_TEMPLATE } from "../../core/policy/keys.js";
import type { RoutePolicy } from "../../core/policy/route.js";
import type { QuotaLimit } from "../ledger/types.js";
import type { ResolvedRoute } from "./resolved.js";
import type { ParsedRoute } from "./route-schema.js";

const MiB = 1024 * 1024;

export const ROUTE_DEFAULTS = {
  minSize: 0,
  maxFiles: 10,
  expiresInSeconds: 300,
  checksum: "optional",
  checksumAlgorithm: "sha256",
  strategy: "auto",
  multipartThreshold: 64 * MiB,
  partSize: 16 * MiB,
  sniff: true,
  public: false,
} as const;

/** A validated route with every default applied: the core policy plus the gateway's extras. */
export function resolveRoute(name: string, route: ParsedRoute): ResolvedRoute {
  const d = ROUTE_DEFAULTS;
  const policy: RoutePolicy = {
    name,
    label: route.label ?? name,
    types: route.types,
    maxSize: route.maxSize,
    minSize: route.minSize ?? d.minSize,
    maxFiles: route.maxFiles ?? d.maxFiles,
    expiresIn: route.expiresIn === undefined ? d.expiresInSeconds : route.expiresIn / 1000,
    ...routeChecksum(route.checksum),
    strategy: route.strategy ?? d.strategy,
    multipartThreshold: route.multipartThreshold ?? d.multipartThreshold,
    partSize: route.partSize ?? d.partSize,
    sniff: route.sniff ?? d.sniff,
    public: route.public ?? d.public,
    keyTemplate: typeof route.key === "string" ? route.key : DEFAULT_KEY_TEMPLATE,
  };
  const resolved: ResolvedRoute = {
    policy,
    key: typeof route.key === "function" ? { fn: route.key } : { template: policy.keyTemplate },
  };
  if (route.quota) resolved.quota = quotaLimit(route.quota);
  if (route.routeQuota) resolved.routeQuota = quotaLimit(route.routeQuota);
  if (route.inline && route.inline.length > 0) resolved.inline = route.inline;
  if (route.rateLimit) resolved.rateLimit = { perMinute: route.rateLimit.perMinute };
  if (route.metadata) resolved.metadata = route.metadata;
  if (route.onBeforeUpload) resolved.onBeforeUpload = route.onBeforeUpload;
  if (route.onUploadComplete) resolved.onUploadComplete = route.onUploadComplete;
  if (route.webhook) resolved.webhook = route.webhook;
  return resolved;
}

/** `checksum` as configured ("required", or { mode, algorithm }) with the defaults applied. */
function routeChecksum(config: ParsedRoute["checksum"]): Pick<RoutePolicy, "checksum" | "checksumAlgorithm"> {
  const { mode, algorithm } = typeof config === "object" ? config : { mode: config, algorithm: undefined };
  return {
    checksum: mode ?? ROUTE_DEFAULTS.checksum,
    checksumAlgorithm: algorithm ?? ROUTE_DEFAULTS.checksumAlgorithm,
  };
}

function quotaLimit(config: NonNullable<ParsedRoute["quota"]>): QuotaLimit {
  const quota: QuotaLimit = {};
  if (config.bytes !== undefined) quota.bytes = config.bytes;
  if (config.files !== undefined) quota.files = config.files;
  if (config.period !== undefined) quota.periodMs = config.period;
  return quota;
}
