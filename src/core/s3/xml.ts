/** A value rendered as XML: text, a list of repeated elements, or nested elements in order. */
export type XmlValue = string | number | boolean | Date | XmlNode | XmlValue[] | undefined | null;
export interface XmlNode {
  [element: string]: XmlValue;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
};

/** Escapes markup characters, and CR, which XML parsers would otherwise normalize to LF (keys may hold it). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => ESCAPES[c]!);
}

const CDATA_OPEN = "<![CDATA[";
const CDATA_CLOSE = "]]>";

/**
 * Replaces each CDATA section with `asText(its content)`, left to right; an unterminated one is
 * left for the validator to refuse. A linear scan: the regex /<!\[CDATA\[([\s\S]*?)\]\]>/g took
 * quadratic time on many unterminated sections (seconds for 200 KB, hours for a 4 MB body).
 */
export function expandCdata(text: string, asText: (data: string) => string): string {
  let at = text.indexOf(CDATA_OPEN);
  if (at === -1) return text;
  let out = "";
  let last = 0;
  while (at !== -1) {
    const end = text.indexOf(CDATA_CLOSE, at + CDATA_OPEN.length);
    if (end === -1) break;
    out += text.slice(last, at) + asText(text.slice(at + CDATA_OPEN.length, end));
    last = end + CDATA_CLOSE.length;
    at = text.indexOf(CDATA_OPEN, last);
  }
  return out + text.slice(last);
}

function renderValue(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map((v) => renderValue(name, v)).join("");
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === "object") return `<${name}>${renderChildren(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function renderChildren(node: XmlNode): string {
  let out = "";
  for (const name in node) out += renderValue(name, node[name]);
  return out;
}

export const S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

/** A whole S3 XML document: `<?xml ...?><Root xmlns="...">...</Root>`. Arrays repeat their element. */
export function renderXmlDocument(
  root: string,
  body: XmlNode,
  options: { xmlns?: string | false } = {},
): string {
  const ns = options.xmlns === false ? "" : ` xmlns="${options.xmlns ?? S3_XMLNS}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${renderChildren(body)}</${root}>`;
}
