import { completeUpload } from "../handlers/complete-upload.js";
import { createUploads } from "../handlers/create-uploads.js";
import { deleteUpload } from "../handlers/delete-upload.js";
import { devSession } from "../handlers/dev-session.js";
import { getFile } from "../handlers/get-file.js";
import { healthz } from "../handlers/healthz.js";
import { listRoutes } from "../handlers/list-routes.js";
import { listUploads } from "../handlers/list-uploads.js";
import { metrics } from "../handlers/metrics.js";
import { uploadParts } from "../handlers/upload-parts.js";
import { createRouter, type RouteDefinition } from "../http/router.js";
import type { Handler } from "./services.js";

/** The gateway's HTTP API (paths below the configured basePath). */
export const ENDPOINTS: ReadonlyArray<RouteDefinition<Handler>> = [
  { method: "POST", pattern: "/v1/uploads", handler: createUploads },
  { method: "GET", pattern: "/v1/uploads", handler: listUploads },
  { method: "GET", pattern: "/v1/routes", handler: listRoutes },
  { method: "POST", pattern: "/v1/uploads/:id/parts", handler: uploadParts },
  { method: "POST", pattern: "/v1/uploads/:id/complete", handler: completeUpload },
  { method: "DELETE", pattern: "/v1/uploads/:id", handler: deleteUpload },
  { method: "GET", pattern: "/v1/files/:id", handler: getFile },
  { method: "GET", pattern: "/healthz", handler: healthz },
  { method: "GET", pattern: "/metrics", handler: metrics },
];

/** Served only by a gateway in dev mode: elsewhere these paths do not exist. */
export const DEV_ENDPOINTS: ReadonlyArray<RouteDefinition<Handler>> = [
  { method: "POST", pattern: "/v1/dev/session", handler: devSession },
];

export const createEndpointRouter = (mode: "production" | "dev" = "production") =>
  createRouter(mode === "dev" ? [...ENDPOINTS, ...DEV_ENDPOINTS] : ENDPOINTS);
