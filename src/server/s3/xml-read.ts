import { XMLParser, XMLValidator } from "fast-xml-parser";
import { expandCdata } from "../../core/s3/xml.js";

/** A parsed element: its text, or its children by name. */
export type XmlElement = string | { [name: string]: XmlElement | XmlElement[] };

const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** The five predefined entities and character references; a document with anything else is refused. */
function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&([^;&]*);/g, (_, name: string) => {
    if (name.startsWith("#")) {
      const hex = name[1] === "x";
      const digits = name.slice(hex ? 2 : 1);
      const valid = (hex ? /^[0-9a-fA-F]{1,6}$/ : /^[0-9]{1,7}$/).test(digits);
      const cp = valid ? Number.parseInt(digits, hex ? 16 : 10) : -1;
      if (cp < 1 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        throw new Error(`bad character reference &${name};`);
      }
      return String.fromCodePoint(cp);
    }
    const value = PREDEFINED[name];
    if (value === undefined) throw new Error(`undefined entity &${name};`);
    return value;
  });
}

const escapeText = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/**
 * Parses an S3 response document. No DTDs are accepted, so there are no external or custom
 * entities and no entity expansion; only the predefined entities and character references are
 * decoded. Text is kept exactly (keys may start or end with spaces); namespaces and attributes are
 * dropped; elements named in `arrays` are always arrays. Throws on anything not well-formed.
 */
export function parseXml(
  text: string,
  arrays: readonly string[] = [],
): { root: string; element: XmlElement } {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new Error("XML with a DOCTYPE is refused");
  const plain = expandCdata(text, escapeText);
  const valid = XMLValidator.validate(plain);
  if (valid !== true) throw new Error(`malformed XML: ${valid.err.msg}`);
  const repeated = new Set(arrays);
  const parser = new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: false,
    processEntities: false,
    htmlEntities: false,
    isArray: (name) => repeated.has(name),
    tagValueProcessor: (_name, value) => decodeEntities(value),
  });
  const doc = parser.parse(plain) as Record<string, unknown>;
  const roots = Object.keys(doc);
  if (roots.length !== 1) throw new Error(`expected one root element, found ${roots.length}`);
  const root = roots[0]!;
  return { root, element: normalize(doc[root]) as XmlElement };
}

/** Drops the whitespace between child elements. */
function normalize(value: unknown): XmlElement | XmlElement[] {
  if (Array.isArray(value)) return value.map((v) => normalize(v) as XmlElement);
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return "";
  const out: { [name: string]: XmlElement | XmlElement[] } = {};
  for (const [name, child] of Object.entries(value)) if (name !== "#text") out[name] = normalize(child);
  return out;
}

/** The text of child `name`: undefined when absent, "" when empty. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  if (element === undefined || typeof element === "string") return undefined;
  const child = element[name];
  if (child === undefined) return undefined;
  const first = Array.isArray(child) ? child[0] : child;
  if (first === undefined) return undefined;
  return typeof first === "string" ? first : "";
}

/** The children named `name` (list them in `arrays` when parsing), or [] when there are none. */
export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  if (element === undefined || typeof element === "string") return [];
  const child = element[name];
  if (child === undefined) return [];
  return Array.isArray(child) ? child : [child];
}
