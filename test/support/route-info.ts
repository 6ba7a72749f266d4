import type { RouteInfo } from "../../src/core/protocol.js";

/**
 * A route as GET /v1/routes lists it, for UI-layer tests: the given name, label, types and limits
 * over a plain route's values (auto strategy, parts of 8 MiB from 64 MiB, SHA-256 required,
 * 5-minute URLs, not public).
 */
export function routeInfo(
  route: Pick<RouteInfo, "name" | "label" | "types" | "maxSize" | "maxFiles"> & Partial<RouteInfo>,
): RouteInfo {
  return {
    minSize: 0,
    strategy: "auto",
    multipartThreshold: 64 * 1024 * 1024,
    partSize: 8 * 1024 * 1024,
    checksum: { mode: "required", algorithm: "sha256" },
    urlLifetime: 300,
    public: false,
    ...route,
  };
}
