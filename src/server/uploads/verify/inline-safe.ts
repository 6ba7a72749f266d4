import { typeMatches } from "../../../core/policy/mime.js";
import { stripTypeParameters } from "./content-type.js";

/**
 * Types a browser may render inline from the bucket's origin: raster images only. Never HTML, SVG,
 * XML or PDF (all can run script or navigate), and never text (browsers may sniff it into HTML).
 */
const INLINE_SAFE: ReadonlySet<string> = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
]);

/** Whether a verified type may be served with Content-Disposition: inline. */
export function inlineSafe(type: string): boolean {
  return INLINE_SAFE.has(stripTypeParameters(type));
}

/** RFC 8187 ext-value encoding: UTF-8, percent-encoded except attr-chars. */
function encodeExtValue(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The response-content-disposition for a download: `inline` for inline-safe types and for those a
 * route opted in (`inlineTypes`, type patterns), `attachment` otherwise, with the file name as an
 * ASCII fallback plus RFC 6266 `filename*` for the exact name.
 */
export function contentDisposition(
  type: string,
  fileName?: string,
  inlineTypes: readonly string[] = [],
): string {
  const inline = inlineSafe(type) || (inlineTypes.length > 0 && typeMatches(type, inlineTypes));
  const disposition = inline ? "inline" : "attachment";
  if (!fileName) return disposition;
  // Outside printable ASCII (control characters included), and quotes and backslashes, become "_".
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeExtValue(fileName)}`;
}
