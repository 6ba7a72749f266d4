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
