/** The words and `accept` attribute a file picker shows for a route (from the client's getRoutes()). */
import type { RouteInfo } from "../client/index.js";
import { formatSize } from "../core/util/sizes.js";

/**
 * The `accept` attribute for a file input: each type and its extensions (a browser that gives a
 * .docx no type still offers it), or undefined when the route takes any file.
 */
export function acceptFor(route: RouteInfo | undefined): string | undefined {
  if (!route || route.types.some((t) => t.type === "*/*" || t.type === "*")) return undefined;
  return [...new Set(route.types.flatMap((t) => [t.type, ...t.extensions]))].join(",");
}

/** "PNG image, JPEG image; up to 10 MB, 5 files at most", for a dropzone's description. */
export function rulesFor(route: RouteInfo | undefined): string {
  if (!route) return "";
  const types = route.types.map((t) => t.label).join(", ");
  const count =
    route.maxFiles > 1 ? `, ${route.maxFiles} files at most` : route.maxFiles === 1 ? ", one file" : "";
  return `${types}; up to ${formatSize(route.maxSize)}${count}`;
}
