import fc from "fast-check";
import type { XmlNode, XmlValue } from "../../../src/core/s3/xml.js";
import { nastyArb, rawTextArb } from "./mutate.js";

/** Element names that are always single, and names that always repeat (parsed as arrays). */
export const SINGLE_NAMES = [
  "Key",
  "ETag",
  "PartNumber",
  "Quiet",
  "ID",
  "Code",
  "Message",
  "Size",
  "LocationConstraint",
  "x",
];
export const REPEATED_NAMES = ["Part", "Object", "CORSRule", "AllowedOrigin", "Contents", "Upload", "Item"];

/** Characters XML 1.0 allows, markup and spaces included: the renderer escapes what it must. */
const XML_CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
export const xmlTextArb: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.string({
      unit: fc.constantFrom("a", " ", "&", "<", ">", '"', "'", "\r", "\n", "\t", "]]>", "é", "😀", "&amp;"),
      maxLength: 12,
    }),
  )
  .filter((t) => XML_CHAR.test(t));

/** A document body: leaves are text, repeated names hold arrays. */
export const xmlNodeArb: fc.Arbitrary<XmlNode> = fc.letrec<{ node: XmlNode; value: XmlValue }>((tie) => ({
  node: fc
    .uniqueArray(
      fc.oneof(
        fc.tuple(
          fc.constantFrom(...SINGLE_NAMES),
          fc.oneof({ weight: 3, arbitrary: xmlTextArb }, { weight: 1, arbitrary: tie("node") }),
        ),
        fc.tuple(
          fc.constantFrom(...REPEATED_NAMES),
          fc.array(fc.oneof(xmlTextArb, tie("node")), { minLength: 1, maxLength: 3 }),
        ),
      ),
      { selector: ([name]) => name, maxLength: 4 },
    )
    .map((entries) => Object.fromEntries(entries) as XmlNode),
  value: xmlTextArb,
})).node;

/** What the parsers return for a rendered node: text stays text, an element without children is "". */
export function expectedElement(value: XmlValue): unknown {
  if (Array.isArray(value)) return value.map(expectedElement);
  if (typeof value === "string") return value;
  const node = value as XmlNode;
  const names = Object.keys(node);
  if (names.length === 0) return "";
  return Object.fromEntries(names.map((n) => [n, expectedElement(node[n])]));
}

/** Mostly small repeat counts; now and then a large one (hundreds of KB), where blow-ups show. */
const sizeArb = fc.oneof(
  { weight: 150, arbitrary: fc.integer({ min: 1, max: 300 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }) },
);

/** Hostile documents: DTDs and entity bombs, deep nesting, CDATA, comments, PIs, stray markup. */
export const hostileXmlArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Delete><Object><Key>&lol2;</Key></Object></Delete>',
    '<!DOCTYPE x SYSTEM "file:///etc/passwd"><x>&xxe;</x>',
    "<!doctype x><x/>",
    "<Delete><Object><Key><![CDATA[a]]>b<![CDATA[<c>]]></Key></Object></Delete>",
    "<Delete><!-- c --><Object><Key>k</Key></Object><?pi x?></Delete>",
    "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;e&quot;</ETag></Part></CompleteMultipartUpload>",
    '<a xmlns:x="u" x:b="c"><x:Key>k</x:Key></a>',
    "<a>&#x110000;</a>",
    "<a>&#xD800;</a>",
    "<a>&#0;</a>",
    "<a>&#65;&#x42;</a>",
    "<a>&nbsp;</a>",
    "<a><b>1</b>text<c/></a>",
    "<a/><b/>",
    "<__proto__><constructor>x</constructor></__proto__>",
    "<a><__proto__>x</__proto__><hasOwnProperty>y</hasOwnProperty></a>",
    "\ufeff<a>b</a>",
  ),
  fc
    .tuple(sizeArb, fc.constantFrom("a", "Part", "__proto__"))
    .map(([depth, name]) => `<${name}>`.repeat(depth) + `</${name}>`.repeat(depth)),
  fc
    .tuple(sizeArb, fc.constantFrom("<a>", "<a/>", "&amp;", "<!---->", "<![CDATA["))
    .map(([n, piece]) => `<r>${piece.repeat(n)}</r>`),
  fc
    .array(
      fc.oneof(
        nastyArb,
        fc.constantFrom("<a>", "</a>", "<Part>", "</Part>", "<?xml?>", "<!", "<![CDATA[", "]]>", "=", '"'),
      ),
      {
        maxLength: 30,
      },
    )
    .map((parts) => parts.join("")),
  rawTextArb(300),
);
