import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
  children,
  childText,
  parseXml,
  readErrorDocument,
  singleChildText,
  XML_LIMITS,
  XmlParseError,
} from "./xml-read.js";

describe("parseXml", () => {
  it("keeps text exactly and decodes the five entities and character references", () => {
    const { root, element } = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<R xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Key> a &amp; b &lt;&gt;&#233;&#x1F600;&quot;&apos;&#13; </Key><E></E><F/></R>',
    );
    expect(root).toBe("R");
    expect(childText(element, "Key")).toBe(" a & b <>é😀\"'\r ");
    expect(childText(element, "E")).toBe("");
    expect(childText(element, "F")).toBe("");
    expect(childText(element, "Missing")).toBeUndefined();
  });

  it("keeps raw CR, tabs and newlines in text (keys may hold them)", () => {
    expect(parseXml("<K>\r\n\ta\r</K>").element).toBe("\r\n\ta\r");
    expect(parseXml("<K>  </K>").element).toBe("  ");
  });

  it("reads CDATA as literal text, joined with the text around it, comments and PIs skipped", () => {
    const { element } = parseXml(
      "<R><K><![CDATA[a &amp; <b>]]></K><L>x<![CDATA[]]>y<!-- c -->z<?pi q?></L></R>",
    );
    expect(childText(element, "K")).toBe("a &amp; <b>");
    expect(childText(element, "L")).toBe("xyz");
  });

  it("drops the whitespace between child elements, comments and PIs around the root", () => {
    const text =
      '<?xml version="1.0"?>\n<!-- a -->\n<R>\n  <A>1</A>\n  <!-- b -->\n  <B>2</B>\n</R>\n<?pi x?>\n';
    expect(parseXml(text)).toEqual({ root: "R", element: { A: "1", B: "2" } });
  });

  it("returns elements named in `arrays` as arrays, and repeated names as arrays", () => {
    const { element } = parseXml("<R><P><N>1</N></P><Q>a</Q><Q>b</Q></R>", { arrays: ["P"] });
    expect(element).toEqual({ P: [{ N: "1" }], Q: ["a", "b"] });
    expect(children(element, "P").map((p) => childText(p, "N"))).toEqual(["1"]);
    expect(children(element, "Q")).toEqual(["a", "b"]);
    expect(children(element, "Missing")).toEqual([]);
  });

  it("drops namespace prefixes and attributes", () => {
    const { root, element } = parseXml(
      '<s3:R xmlns:s3="u" a=\'1\' b = "2"><s3:Key x="y">k</s3:Key><Other/></s3:R>',
    );
    expect(root).toBe("R");
    expect(element).toEqual({ Key: "k", Other: "" });
  });

  it("skips a byte-order mark", () => {
    expect(parseXml("\ufeff<a>b</a>")).toEqual({ root: "a", element: "b" });
  });

  it("refuses DOCTYPE and ENTITY declarations, so nothing is ever expanded or fetched", () => {
    const bomb = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>';
    expect(() => parseXml(bomb)).toThrow(XmlParseError);
    expect(() => parseXml(bomb)).toThrow(/DOCTYPE/);
    expect(() => parseXml('<!DOCTYPE x SYSTEM "file:///etc/passwd"><x>&xxe;</x>')).toThrow(/DOCTYPE/);
    expect(() => parseXml("<!doctype x><x/>")).toThrow(/DOCTYPE/);
    expect(() => parseXml('<x><!ENTITY a "b"></x>')).toThrow(/ENTITY/);
  });

  it("refuses entities other than the five, and references to characters XML does not allow", () => {
    expect(() => parseXml("<r>&nbsp;</r>")).toThrow(/undefined entity &nbsp;/);
    expect(() => parseXml("<r>&#0;</r>")).toThrow(/bad character reference &#0;/);
    expect(() => parseXml("<r>&#xD800;</r>")).toThrow(/character reference/);
    expect(() => parseXml("<r>&#x110000;</r>")).toThrow(/character reference/);
    expect(() => parseXml("<r>&#1;</r>")).toThrow(/character reference/);
    expect(() => parseXml("<r>&#xFFFE;</r>")).toThrow(/character reference/);
    expect(() => parseXml("<r>&#X41;</r>")).toThrow(/character reference/);
    expect(() => parseXml("<r>&#;</r>")).toThrow(/character reference/);
    expect(() => parseXml("<r>a & b</r>")).toThrow(/'&' that starts no entity reference/);
    expect(() => parseXml("<r>&amp b</r>")).toThrow(/'&'/);
    expect(() => parseXml("<r>&aaaaaaaaaaaaaaaaaaaaaaaa;</r>")).toThrow(/'&'/);
  });

  it("reads leniently when asked: XML 1.1's character references, and text beside elements dropped", () => {
    expect(parseXml("<r>&#1;</r>", { lenient: true }).element).toBe("\u0001");
    expect(parseXml("<r>&#xFFFE;</r>", { lenient: true }).element).toBe("\ufffe");
    expect(() => parseXml("<r>&#0;</r>", { lenient: true })).toThrow(/character reference/);
    expect(() => parseXml("<r>&#xDC00;</r>", { lenient: true })).toThrow(/character reference/);
    expect(parseXml("<a><b>1</b>text<c/></a>", { lenient: true }).element).toEqual({ b: "1", c: "" });
    expect(() => parseXml("<a><b>1</b>text<c/></a>")).toThrow(/text beside child elements in <a>/);
    expect(() => parseXml("<a>x<![CDATA[y]]><b/></a>")).toThrow(/text beside child elements/);
  });

  it.each([
    ["<r><a></r>", /expected <\/a>, found <\/r>/],
    ["<r></R>", /expected <\/r>, found <\/R>/],
    ["<r>", /unclosed element <r>/],
    ["<r><a>", /unclosed element <a>/],
    ["<a/><b/>", /content after the root element/],
    ["<a/>x", /content after the root element/],
    ["x<a/>", /text before the root element/],
    ["", /no root element/],
    ["   ", /no root element/],
    ["<!-- only a comment -->", /no root element/],
    ["< r/>", /expected a name/],
    ["<1r/>", /expected a name/],
    ["<r></ r>", /expected a name/],
    ["<r/ >", /expected '>' after '\/'/],
    ["<r a=x/>", /not quoted/],
    ["<r a/>", /has no value/],
    ['<r a="1"b="2"/>', /expected whitespace before an attribute/],
    ['<r a="1" a="2"/>', /attribute a repeated/],
    ['<r a="x<y"/>', /'<' in the value of attribute a/],
    ['<r a="x/>', /unterminated value/],
    ["<r", /unterminated start tag/],
    ["<r><!-- x</r>", /unterminated comment/],
    ["<r><![CDATA[x</r>", /unterminated CDATA section/],
    ["<r><?pi x</r>", /unterminated processing instruction/],
    ["<r><!x></r>", /unexpected '<!' markup/],
    ['<r/><?xml version="1.0"?>', /XML declaration is allowed only at the start/],
    ['  <?xml version="1.0"?><r/>', /XML declaration is allowed only at the start/],
    ['<?xml version.0" encoding="UTF-8"?><r/>', /XML declaration/],
    ["<?xml version='1.0'", /unterminated XML declaration/],
    ["<r:/>", /empty local name/],
  ])("refuses %j", (text, message) => {
    expect(() => parseXml(text)).toThrow(XmlParseError);
    expect(() => parseXml(text)).toThrow(message);
  });

  it("says where a document went wrong", () => {
    expect(() => parseXml("<r>\n  <a>\n  </b>\n</r>")).toThrow(/\(line 3, column 5\)/);
    expect(() => parseXml("<r>ok &bad; </r>")).toThrow(/\(line 1, column 7\)/);
  });

  it("bounds the document's length and depth", () => {
    expect(() => parseXml(`<r>${"a".repeat(100)}</r>`, { maxLength: 100 })).toThrow(
      /107 characters is over the limit of 100/,
    );
    const nested = (depth: number) => "<a>".repeat(depth) + "</a>".repeat(depth);
    expect(() => parseXml(nested(XML_LIMITS.maxDepth))).not.toThrow();
    expect(() => parseXml(nested(XML_LIMITS.maxDepth + 1))).toThrow(
      new RegExp(`nested deeper than ${XML_LIMITS.maxDepth}`),
    );
    expect(() => parseXml(nested(4), { maxDepth: 3 })).toThrow(/nested deeper than 3/);
    // Far past what recursion would survive: the reader keeps its own stack, and refuses early.
    expect(() => parseXml(nested(200_000), { maxDepth: 300_000 })).not.toThrow();
  });

  it("reads hostile element names as plain elements, without touching any prototype", () => {
    const { root, element } = parseXml(
      "<__proto__><constructor>x</constructor><__proto__>y</__proto__><hasOwnProperty>z</hasOwnProperty></__proto__>",
    );
    expect(root).toBe("__proto__");
    expect(Object.getPrototypeOf(element)).toBe(Object.prototype);
    expect(childText(element, "constructor")).toBe("x");
    expect(childText(element, "__proto__")).toBe("y");
    expect(childText(element, "hasOwnProperty")).toBe("z");
    expect(({} as Record<string, unknown>).y).toBeUndefined();
    expect(childText(parseXml("<r><a/></r>").element, "constructor")).toBeUndefined();
    expect(children(parseXml("<r><a/></r>").element, "toString")).toEqual([]);
  });
});

describe("childText, singleChildText and children", () => {
  const { element } = parseXml("<R><A>1</A><A>2</A><B><C/></B><D></D><T>t</T></R>");

  it("childText is lenient: the first of repeated elements, '' for an element holding elements", () => {
    expect(childText(element, "A")).toBe("1");
    expect(childText(element, "B")).toBe("");
    expect(childText(element, "D")).toBe("");
    expect(childText("text", "A")).toBeUndefined();
    expect(childText(undefined, "A")).toBeUndefined();
  });

  it("singleChildText is strict: a repeated element or one holding elements is an XmlParseError", () => {
    expect(singleChildText(element, "T")).toBe("t");
    expect(singleChildText(element, "D")).toBe("");
    expect(singleChildText(element, "Missing")).toBeUndefined();
    expect(() => singleChildText(element, "A")).toThrow(/<A> is repeated/);
    expect(() => singleChildText(element, "B")).toThrow(/<B> holds elements/);
    expect(() => singleChildText(element, "A")).toThrow(XmlParseError);
  });

  it("children wraps a single element and passes text and missing elements as [] or [text]", () => {
    expect(children(element, "B")).toEqual([{ C: "" }]);
    expect(children(element, "T")).toEqual(["t"]);
    expect(children("text", "T")).toEqual([]);
  });
});

describe("readErrorDocument", () => {
  it("reads Code and Message from an S3 error document", () => {
    expect(
      readErrorDocument(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The key &quot;a&quot; does not exist</Message><RequestId>r</RequestId></Error>',
      ),
    ).toEqual({ code: "NoSuchKey", message: 'The key "a" does not exist' });
    expect(readErrorDocument("<Error><Code>SlowDown</Code></Error>")).toEqual({ code: "SlowDown" });
    expect(readErrorDocument("<Error></Error>")).toEqual({});
  });

  it("is undefined for anything that is not a well-formed <Error> document", () => {
    expect(readErrorDocument("")).toBeUndefined();
    expect(readErrorDocument("<html><body>Bad Gateway</body></html>")).toBeUndefined();
    expect(readErrorDocument("<Errors><Error><Code>X</Code></Error></Errors>")).toBeUndefined();
    expect(readErrorDocument("<Error><Code>X</Code>")).toBeUndefined();
    expect(readErrorDocument("<ErrorResponse><Code>X</Code></ErrorResponse>")).toBeUndefined();
  });
});

/** A generated S3-like document, and how fast-xml-parser (configured as upgate used it) reads it. */
interface Doc {
  name: string;
  content: string | Doc[];
}

const NAMES = ["Key", "ETag", "Size", "Code", "Message", "ID", "Quiet", "Part", "Contents", "CORSRule"];
const ARRAYS = ["Part", "Contents", "CORSRule"];

const textArb = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom("a", "Z", "0", " ", "&", "<", ">", '"', "'", "\n", "\t", "é", "😀", "/", "=", ";"),
      fc.string({ unit: "grapheme", maxLength: 2 }),
    ),
    maxLength: 16,
  })
  .filter((t) => /^[\t\n\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u.test(t));

const docArb: fc.Arbitrary<Doc> = fc.letrec<{ doc: Doc }>((tie) => ({
  doc: fc.record({
    name: fc.constantFrom(...NAMES),
    content: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      textArb,
      fc.array(tie("doc"), { minLength: 1, maxLength: 4 }),
    ),
  }),
})).doc;

/** The root is never an array, whatever its name; fast-xml-parser would make a listed name one. */
const rootArb: fc.Arbitrary<Doc> = fc.record({
  name: fc.constantFrom("ListBucketResult", "Error", "Delete"),
  content: fc.oneof(textArb, fc.array(docArb, { minLength: 1, maxLength: 4 })),
});

interface Style {
  declaration: boolean;
  prefix: boolean;
  attributes: boolean;
  cdata: boolean;
  spacing: string;
  comments: boolean;
}

function escapeText(text: string, style: Style): string {
  if (style.cdata && !text.includes("]]>") && text !== "") return `<![CDATA[${text}]]>`;
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

function render(doc: Doc, style: Style, depth = 0): string {
  const name = style.prefix ? `s3:${doc.name}` : doc.name;
  const attrs =
    (depth === 0 && style.prefix ? ' xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"' : "") +
    (style.attributes ? ` id='${depth}'` : "");
  if (typeof doc.content === "string") return `<${name}${attrs}>${escapeText(doc.content, style)}</${name}>`;
  const between = style.spacing + (style.comments ? "<!-- between -->" : "");
  const inner = doc.content.map((c) => between + render(c, style, depth + 1)).join("");
  return `<${name}${attrs}>${inner}${between}</${name}>`;
}

const styleArb: fc.Arbitrary<Style> = fc.record({
  declaration: fc.boolean(),
  prefix: fc.boolean(),
  attributes: fc.boolean(),
  cdata: fc.boolean(),
  spacing: fc.constantFrom("", "\n", "\n  ", " \t"),
  comments: fc.boolean(),
});

const oracle = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ARRAYS.includes(name),
});

/** fast-xml-parser keeps the whitespace between child elements as "#text"; upgate drops it. */
function withoutSpacing(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpacing);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).filter(([k, v]) => !(k === "#text" && String(v).trim() === ""));
  return Object.fromEntries(entries.map(([k, v]) => [k, withoutSpacing(v)]));
}

describe("parseXml against fast-xml-parser", () => {
  it("reads generated S3-like documents as fast-xml-parser does", () => {
    fc.assert(
      fc.property(rootArb, styleArb, (doc, style) => {
        const body = render(doc, style);
        const text = (style.declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : "") + body;
        const expected = withoutSpacing(oracle.parse(text)) as Record<string, unknown>;
        const { root, element } = parseXml(text, { arrays: ARRAYS });
        expect({ [root]: element }).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
