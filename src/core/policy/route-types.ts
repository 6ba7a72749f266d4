import type { RouteTypeInfo } from "../protocol.js";
import { extensionsForType, normalizeTypePattern } from "./mime.js";
import { FAMILY_LABELS, KNOWN_TYPES } from "./mime-table.js";

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Every extension of the table's types in one family ("image"), each once, in table order. */
function familyExtensions(family: string): string[] {
  const prefix = `${family}/`;
  const out = new Set<string>();
  for (const type of Object.keys(KNOWN_TYPES)) {
    if (type.startsWith(prefix)) for (const ext of extensionsForType(type)) out.add(ext);
  }
  return [...out];
}

/** One allowed-type pattern for people and file pickers: its label and the extensions it accepts. */
export function routeTypeInfo(pattern: string): RouteTypeInfo {
  const p = normalizeTypePattern(pattern) ?? pattern;
  if (p === "*/*") return { type: p, label: "Any file", extensions: [] };
  if (p.endsWith("/*")) {
    const family = p.slice(0, -2);
    const label = (Object.hasOwn(FAMILY_LABELS, family) && FAMILY_LABELS[family]) || `any ${family} type`;
    return { type: p, label: capitalized(label), extensions: familyExtensions(family) };
  }
  const known = Object.hasOwn(KNOWN_TYPES, p) ? KNOWN_TYPES[p] : undefined;
  return { type: p, label: known ? capitalized(known.label) : p, extensions: extensionsForType(p) };
}
