import type { RouteChecksumAlgorithm, RouteInfo } from "../../core/protocol.js";

const ALGORITHMS: readonly string[] = ["sha256", "crc64nvme", "crc32c"];

/**
 * The route's checksum algorithm as GET /v1/routes lists it, so the client hashes with it before
 * create. SHA-256 when the list cannot be had (a gateway from before routes were listed, a caller
 * not allowed to list this route) or names none: each create answer's checksumAlgorithm still
 * decides for that upload, and a multipart upload hashes its parts only after it.
 */
export async function routeChecksumAlgorithm(
  getRoutes: () => Promise<RouteInfo[]>,
  route: string,
): Promise<RouteChecksumAlgorithm> {
  try {
    const algorithm = (await getRoutes()).find((r) => r.name === route)?.checksum?.algorithm;
    return algorithm !== undefined && ALGORITHMS.includes(algorithm) ? algorithm : "sha256";
  } catch {
    return "sha256";
  }
}
