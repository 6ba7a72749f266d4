import type { RouteConfig } from "../../src/server/config/types.js";
import { MULTIPART_THRESHOLD, PART_SIZE } from "./files.js";
import { MiB } from "./options.js";

export const SOAK_ROUTE = "soak";

export interface SoakQuota {
  bytes: number;
  files: number;
}

/**
 * Tight: a little more than the largest file, or three files, so users who keep uploading run into
 * it and must delete files to go on.
 */
export function soakQuota(maxFileSize: number): SoakQuota {
  return { bytes: Math.max(Math.floor(maxFileSize * 1.2), 4 * MiB), files: 3 };
}

/** The one route every instance serves; keys live under a prefix of their own per run. */
export function soakRoute(runId: string, maxFileSize: number): RouteConfig {
  return {
    types: ["application/octet-stream"],
    maxSize: maxFileSize,
    minSize: 1,
    maxFiles: 1,
    expiresIn: "10m",
    checksum: "required",
    multipartThreshold: MULTIPART_THRESHOLD,
    partSize: PART_SIZE,
    key: `soak-${runId}/{userId}/{random}{ext}`,
    quota: soakQuota(maxFileSize),
  };
}
