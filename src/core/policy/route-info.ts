import type { RouteInfo } from "../protocol.js";
import type { RoutePolicy } from "./route.js";
import { routeTypeInfo } from "./route-types.js";

/** A route as GET /v1/routes shows it: its rules, nothing of its keys, hooks or quotas. */
export function routeInfo(policy: RoutePolicy): RouteInfo {
  return {
    name: policy.name,
    label: policy.label,
    types: policy.types.map(routeTypeInfo),
    maxSize: policy.maxSize,
    minSize: policy.minSize,
    maxFiles: policy.maxFiles,
    strategy: policy.strategy,
    multipartThreshold: policy.multipartThreshold,
    partSize: policy.partSize,
    checksum: { mode: policy.checksum, algorithm: policy.checksumAlgorithm },
    urlLifetime: policy.expiresIn,
    public: policy.public,
  };
}
