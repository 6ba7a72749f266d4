import { UpgateError } from "../../core/errors.js";

/** The top level of a POST /v1/uploads body: `route` and `files` (files are checked by checkFiles). */
export function parseCreateRequest(body: unknown): { route: string; files: unknown } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new UpgateError(
      "VALIDATION_FAILED",
      'The body must be a JSON object like { "route": "...", "files": [...] }',
    );
  }
  const { route, files, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new UpgateError(
      "VALIDATION_FAILED",
      `Unknown fields: ${unknown.slice(0, 5).join(", ")} (allowed: route, files)`,
      {
        details: { fields: unknown.slice(0, 20) },
      },
    );
  }
  if (typeof route !== "string" || route === "" || route.length > 63) {
    throw new UpgateError("VALIDATION_FAILED", "route must be the name of an upload route", {
      details: { field: "route" },
    });
  }
  return { route, files };
}
