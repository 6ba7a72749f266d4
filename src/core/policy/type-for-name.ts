import { KNOWN_TYPES } from "./mime-table.js";

/**
 * Extension (with the dot, lower case) -> type, from the shared type table: each type's own
 * extension first, then the other common ones (".jpeg", ".htm"), the first type to claim an
 * extension keeping it (".mp4" is video, ".xml" application/xml).
 */
const BY_EXTENSION: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  const entries = Object.entries(KNOWN_TYPES);
  for (const [type, known] of entries) if (known.ext && !map.has(known.ext)) map.set(known.ext, type);
  for (const [type, known] of entries) {
    for (const ext of known.also ?? []) if (!map.has(ext)) map.set(ext, type);
  }
  return map;
})();

/** ".docx" for "notes.DOCX", "" for names without one ("README", ".bashrc", "archive."). */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  return dot <= 0 || dot === base.length - 1 ? "" : base.slice(dot).toLowerCase();
}

/** The content type a file name's extension names in the shared table, or undefined when it names none. */
export function typeForName(name: string): string | undefined {
  return BY_EXTENSION.get(extensionOf(name));
}

/** Types that say nothing about the content: a file with one of these gets its type from its name. */
export function isGenericType(type: string | undefined): boolean {
  const bare = (type ?? "").split(";")[0]!.trim().toLowerCase();
  return bare === "" || bare === "application/octet-stream";
}

/**
 * The type to declare for a file: `override` when given, else its own type unless that is empty or
 * generic, else the one its extension names, else application/octet-stream. The server still
 * decides from the bytes; this only makes the declaration match what the file most likely is.
 */
export function declaredType(name: string, type: string | undefined, override?: string): string {
  if (override) return override;
  if (!isGenericType(type)) return type!;
  return typeForName(name) ?? "application/octet-stream";
}
