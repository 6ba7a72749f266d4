/** What `upgate dev` serves by default: three demo routes and the bucket CORS they need. */
import type { RouteConfig } from "../server/config/types.js";
import type { CorsRule } from "../store/index.js";
import { ACL_HEADER, CRC_CHECKSUM_HEADERS, METADATA_WILDCARD, SIGNED_HEADERS } from "./cors/rules.js";

const OOXML = "application/vnd.openxmlformats-officedocument";

export const DEV_ROUTES: Record<string, RouteConfig> = {
  images: {
    label: "Images",
    types: ["image/png", "image/jpeg", "image/webp", "image/gif"],
    maxSize: "10MB",
  },
  documents: {
    label: "Documents",
    types: [
      "application/pdf",
      "text/plain",
      "text/markdown",
      "text/csv",
      "application/msword",
      `${OOXML}.wordprocessingml.document`,
      "application/vnd.ms-excel",
      `${OOXML}.spreadsheetml.sheet`,
      "application/vnd.ms-powerpoint",
      `${OOXML}.presentationml.presentation`,
      "application/vnd.oasis.opendocument.text",
    ],
    maxSize: "50MB",
  },
  any: {
    label: "Any file",
    types: ["*/*"],
    maxSize: "5GB",
    strategy: "multipart",
    // Small parts: a reload loses only the parts in flight (the page sends 3 at a time).
    partSize: "8MB",
  },
};

/**
 * Bucket CORS for pages on `origins`: the methods uploads use, the signed headers (x-amz-acl too,
 * for clients tried here before a gateway with storage.acl, and both CRC checksum headers, for
 * routes of any algorithm), ETag exposed.
 */
export function devCorsRules(origins: string[]): CorsRule[] {
  return [
    {
      id: "upgate-dev",
      allowedOrigins: origins,
      allowedMethods: ["PUT", "POST", "GET", "HEAD"],
      allowedHeaders: [...SIGNED_HEADERS, ...CRC_CHECKSUM_HEADERS, ACL_HEADER, METADATA_WILDCARD],
      exposeHeaders: ["ETag"],
      maxAgeSeconds: 600,
    },
  ];
}
