import type { ResolvedCors } from "../config/resolved.js";
import type { Reply } from "./respond.js";

const ALLOWED_METHODS = "GET, POST, DELETE";
const ALLOWED_HEADERS = "authorization, content-type, x-api-key, idempotency-key, upgate-capability";
const EXPOSED_HEADERS = "retry-after";

function allowedOrigin(cors: ResolvedCors, origin: string | null): string | undefined {
  if (origin === null) return undefined;
  if (cors.origins === "*") return cors.credentials ? origin : "*";
  return cors.origins.has(origin) ? origin : undefined;
}

/** Whether the request is a CORS preflight (which the router never sees). */
export function isPreflight(request: { method: string; headers: Headers }): boolean {
  return (
    request.method === "OPTIONS" &&
    request.headers.has("origin") &&
    request.headers.has("access-control-request-method")
  );
}

/** The answer to a preflight: 204, with permission only for a configured origin. */
export function preflightResponse(cors: ResolvedCors | undefined, request: { headers: Headers }): Reply {
  const headers = new Headers({ vary: "Origin" });
  const origin = cors && allowedOrigin(cors, request.headers.get("origin"));
  if (cors && origin) {
    headers.set("access-control-allow-origin", origin);
    headers.set("access-control-allow-methods", ALLOWED_METHODS);
    headers.set("access-control-allow-headers", ALLOWED_HEADERS);
    headers.set("access-control-max-age", String(cors.maxAgeSeconds));
    if (cors.credentials) headers.set("access-control-allow-credentials", "true");
  }
  return { status: 204, headers, body: null };
}

/** Adds the CORS headers for an actual request from a configured origin. */
export function withCors<A extends { headers: Headers }>(
  cors: ResolvedCors | undefined,
  request: { headers: Headers },
  response: A,
): A {
  if (!cors) return response;
  const origin = allowedOrigin(cors, request.headers.get("origin"));
  response.headers.append("vary", "Origin");
  if (!origin) return response;
  response.headers.set("access-control-allow-origin", origin);
  response.headers.set("access-control-expose-headers", EXPOSED_HEADERS);
  if (cors.credentials) response.headers.set("access-control-allow-credentials", "true");
  return response;
}
