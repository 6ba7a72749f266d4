/**
 * What GET /v1/routes says about a route (the client's getRoutes()), and the words and `accept`
 * attribute a file picker shows for it.
 */
import { formatSize } from "../core/policy/sizes.js";

export interface RouteTypeInfo {
  /** The allowed pattern as configured: "image/png", "image/*", "*\/*". */
  type: string;
  /** For people: "PNG image", "Any image", "Any file". */
  label: string;
  /** Extensions this pattern accepts, with the dot: [".png"]. */
  extensions: string[];
}

export interface RouteInfo {
  name: string;
  label: string;
  types: RouteTypeInfo[];
  maxSize: number;
  minSize: number;
  maxFiles: number;
  strategy: "auto" | "put" | "post" | "multipart";
  multipartThreshold: number;
  partSize: number;
  checksum: { mode: "required" | "optional"; algorithm: "sha256" | "crc64nvme" | "crc32c" };
  urlLifetime: number;
  public: boolean;
}

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
