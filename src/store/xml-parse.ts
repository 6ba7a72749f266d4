import { XMLParser, XMLValidator } from "fast-xml-parser";
import { escapeXml, expandCdata } from "../core/s3/xml.js";
import { S3Error } from "./errors.js";

/** A parsed element: its text, or its children by name (repeated names become arrays when asked for). */
export type XmlElement = string | { [name: string]: XmlElement | XmlElement[] };

const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** A character XML 1.0 allows: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Decodes the five predefined entities and character references; anything else is malformed. */
function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&([^;&]*);/g, (_, name: string) => {
    if (name.startsWith("#")) {
      const hex = name[1] === "x";
      const digits = name.slice(hex ? 2 : 1);
      const cp = (hex ? /^[0-9a-fA-F]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)
        ? Number.parseInt(digits, hex ? 16 : 10)
        : -1;
      if (!isXmlChar(cp)) throw new Error(`bad character reference &${name};`);
      return String.fromCodePoint(cp);
    }
    const value = PREDEFINED[name];
    if (value === undefined) throw new Error(`undefined entity &${name};`);
    return value;
  });
}

function malformed(): S3Error {
  return new S3Error("MalformedXML");
}

/**
 * Parses a small XML request body (CreateBucketConfiguration, Delete, CompleteMultipartUpload,
 * CORSConfiguration...). No DTDs, so no external or custom entities and no entity expansion: only
 * the predefined entities and character references are decoded. Text is kept exactly (keys may
 * start or end with spaces); namespaces and attributes are dropped. Elements named in `arrays` are
 * always arrays. Anything not well-formed is 400 MalformedXML.
 */
export function parseXml(body: Uint8Array, arrays: readonly string[] = []): { [root: string]: XmlElement } {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw malformed();
  // CDATA becomes escaped text, so entity decoding below applies to markup text only.
  const plain = expandCdata(text, escapeXml);
  if (XMLValidator.validate(plain) !== true) throw malformed();
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
  try {
    const doc = parser.parse(plain) as Record<string, unknown>;
    const roots = Object.keys(doc);
    if (roots.length !== 1) throw malformed();
    return normalize(doc) as { [root: string]: XmlElement };
  } catch (err) {
    if (err instanceof S3Error) throw err;
    throw malformed();
  }
}

/** Drops the whitespace text between child elements; an element with children and real text is malformed. */
function normalize(value: unknown): XmlElement | XmlElement[] {
  if (Array.isArray(value)) return value.map((v) => normalize(v) as XmlElement);
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return "";
  const out: { [name: string]: XmlElement | XmlElement[] } = {};
  for (const [name, child] of Object.entries(value)) {
    if (name === "#text") {
      if (typeof child === "string" && child.trim() !== "") throw malformed();
      continue;
    }
    out[name] = normalize(child);
  }
  return out;
}

/** The single text child `name` of an element: undefined when absent, MalformedXML when repeated or not text. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  if (element === undefined || typeof element === "string") return undefined;
  const child = element[name];
  if (child === undefined) return undefined;
  if (Array.isArray(child)) throw malformed();
  if (typeof child === "string") return child;
  if (Object.keys(child).length === 0) return "";
  throw malformed();
}

/** The children named `name` (for elements listed in `arrays`), or [] when there are none. */
export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  if (element === undefined || typeof element === "string") return [];
  const child = element[name];
  if (child === undefined) return [];
  return Array.isArray(child) ? child : [child];
}
