import { FAMILY_LABELS, KNOWN_TYPES } from "./mime-table.js";

/**
 * RFC 6838 restricted names (type and subtype each 1..127 characters). Anything else, above all
 * CR, LF, spaces or quotes, is refused, so a normalized type is always safe to put in a header.
 */
const NAME = "[a-z0-9][a-z0-9!#$&^_.+-]{0,126}";
const TYPE = new RegExp(`^${NAME}/${NAME}$`);
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * "Image/PNG; charset=utf-8 " -> "image/png": lower-cased, parameters dropped, trimmed. Returns
 * undefined for anything that is not a valid type/subtype pair (including wildcards, and any
 * value with a control character anywhere, parameters included).
 */
export function normalizeType(type: unknown): string | undefined {
  if (typeof type !== "string" || type.length > 1024 || CONTROL.test(type)) return undefined;
  const semicolon = type.indexOf(";");
  const bare = (semicolon === -1 ? type : type.slice(0, semicolon)).trim().toLowerCase();
  return TYPE.test(bare) ? bare : undefined;
}

/**
 * A route's allowed-type pattern, normalized: an exact type, "family/*", or "*" / "*\/*" (any
 * type, returned as "*\/*"). Undefined for anything else, so configs can be checked up front.
 */
export function normalizeTypePattern(pattern: unknown): string | undefined {
  if (typeof pattern !== "string") return undefined;
  const p = pattern.trim().toLowerCase();
  if (p === "*" || p === "*/*") return "*/*";
  if (p.endsWith("/*")) {
    const family = p.slice(0, -2);
    return TYPE.test(`${family}/x`) ? p : undefined;
  }
  return normalizeType(p) === p ? p : undefined;
}

/** Whether a declared type is allowed by any of the patterns ("image/png", "image/*", "*\/*"). */
export function typeMatches(type: string, patterns: readonly string[]): boolean {
  const t = normalizeType(type);
  if (t === undefined) return false;
  for (const raw of patterns) {
    const p = normalizeTypePattern(raw);
    if (p === undefined) continue;
    if (p === "*/*" || p === t || (p.endsWith("/*") && t.startsWith(p.slice(0, -1)))) return true;
  }
  return false;
}

/** The extension for a key of this type (".png", ".jpg", ...), or "" when upgate has none for it. */
export function extensionForType(type: string): string {
  const t = normalizeType(type);
  return (t !== undefined && Object.hasOwn(KNOWN_TYPES, t) && KNOWN_TYPES[t]?.ext) || "";
}

/**
 * Every extension a file of this type may keep when it is downloaded: the key's extension and the
 * common others (".jpg", ".jpeg", ".jpe" for JPEG); empty when upgate knows none for the type.
 */
export function extensionsForType(type: string): string[] {
  const t = normalizeType(type);
  const known = t !== undefined && Object.hasOwn(KNOWN_TYPES, t) ? KNOWN_TYPES[t] : undefined;
  if (!known) return [];
  return [known.ext, ...(known.also ?? [])].filter((ext) => ext !== "");
}

function labelFor(pattern: string): string {
  const p = normalizeTypePattern(pattern);
  if (p === undefined) return pattern;
  if (p.endsWith("/*")) {
    const family = p.slice(0, -2);
    return (Object.hasOwn(FAMILY_LABELS, family) && FAMILY_LABELS[family]) || `any ${family} type`;
  }
  return (Object.hasOwn(KNOWN_TYPES, p) && KNOWN_TYPES[p]?.label) || p;
}

/**
 * One file's type for people: the table's label ("HEIC", "plain text"), the type itself when the
 * table does not know it, and both for the generic binary type, which says only that nothing
 * more specific was known: "binary data (application/octet-stream)".
 */
export function describeType(type: string): string {
  const t = normalizeType(type) ?? type;
  const known = Object.hasOwn(KNOWN_TYPES, t) ? KNOWN_TYPES[t] : undefined;
  if (!known) return t;
  return t === "application/octet-stream" ? `${known.label} (${t})` : known.label;
}

/**
 * Allowed types for people: ["image/png", "image/jpeg"] -> "PNG, JPEG"; ["image/*"] -> "any image".
 * Labels are de-duplicated (audio/wav and audio/x-wav are both "WAV"); unknown types show as is.
 */
export function describeTypes(patterns: readonly string[]): string {
  if (patterns.some((p) => normalizeTypePattern(p) === "*/*")) return "any file";
  const labels = [...new Set(patterns.map(labelFor))];
  return labels.length === 0 ? "none" : labels.join(", ");
}
