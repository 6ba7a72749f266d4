import { extensionsForType } from "../../../core/policy/mime.js";

/** What a file whose type upgate has no extension for is saved as: never runnable by its name. */
const UNKNOWN_EXTENSION = ".bin";

/**
 * The name a verified upload is downloaded under: its extension always follows the verified type,
 * so the name cannot make the file something else once saved (an `update.hta` verified as
 * text/plain downloads as `update.hta.txt`, a PNG named `page.html` as `page.html.png`). A name
 * that already has one of the type's extensions (`photo.jpeg` for JPEG) is kept; otherwise the
 * type's extension is appended, so the original name stays readable. Types upgate knows no
 * extension for get `.bin`. Trailing dots and spaces are dropped first: Windows drops them too,
 * which would otherwise bring the name's own extension back (`a.hta.` saves as `a.hta`).
 */
export function downloadName(name: string, verifiedType: string): string {
  const base = name.replace(/[. ]+$/, "") || "download";
  const dot = base.lastIndexOf(".");
  const ext = dot > 0 ? base.slice(dot).toLowerCase() : "";
  const allowed = extensionsForType(verifiedType);
  if (allowed.length === 0) return ext === UNKNOWN_EXTENSION ? base : `${base}${UNKNOWN_EXTENSION}`;
  return allowed.includes(ext) ? base : `${base}${allowed[0]}`;
}
