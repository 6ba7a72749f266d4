/** A route's rules (GET /v1/routes) as Uppy's `restrictions`, combined with those the app set itself. */
import type { Restrictions } from "@uppy/core";
import type { RouteInfo } from "../client/index.js";

export type RouteRestrictions = Pick<
  Restrictions,
  "allowedFileTypes" | "maxFileSize" | "minFileSize" | "maxNumberOfFiles"
>;

const ANY = new Set(["*/*", "*"]);

/**
 * The route's types (each with its extensions, so a .docx the browser gives no type still passes;
 * null when the route takes any file), its size bounds and its file count.
 */
export function routeRestrictions(route: RouteInfo): RouteRestrictions {
  const anyType = route.types.some((t) => ANY.has(t.type));
  return {
    allowedFileTypes: anyType ? null : [...new Set(route.types.flatMap((t) => [t.type, ...t.extensions]))],
    maxFileSize: route.maxSize,
    minFileSize: route.minSize > 0 ? route.minSize : null,
    maxNumberOfFiles: route.maxFiles,
  };
}

const smaller = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const larger = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * The stricter of the app's restrictions and the route's: the smaller maximum, the larger minimum,
 * and the app's own type list when it set one (the gateway still refuses any other type).
 */
export function mergeRestrictions(app: Restrictions, route: RouteRestrictions): Restrictions {
  return {
    ...app,
    allowedFileTypes: app.allowedFileTypes ?? route.allowedFileTypes,
    maxFileSize: smaller(app.maxFileSize, route.maxFileSize),
    minFileSize: larger(app.minFileSize, route.minFileSize),
    maxNumberOfFiles: smaller(app.maxNumberOfFiles, route.maxNumberOfFiles),
  };
}
