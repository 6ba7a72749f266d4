/** A parsed element: its text, or its children by name (a repeated name holds an array). */
export type XmlElement = string | { [name: string]: XmlElement | XmlElement[] };

/** Not well-formed, over a limit, or outside the subset S3 XML needs. The store answers it with 400 MalformedXML. */
export class XmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XmlParseError";
  }
}

export interface XmlReadOptions {
  /** Element names that are always arrays, even when they appear once (Part, Contents, CORSRule...). */
  arrays?: readonly string[];
  /**
   * For reading storage's answers: text beside child elements is dropped, and character references
   * to any character but NUL and surrogates are accepted (some S3 implementations write XML 1.1's).
   * Requests (the store) are read strictly: both are malformed there, as S3 says.
   */
  lenient?: boolean;
  /** The longest document, in UTF-16 code units. Default XML_LIMITS.maxLength. */
  maxLength?: number;
  /** The deepest element nesting (the root is depth 1). Default XML_LIMITS.maxDepth. */
  maxDepth?: number;
}

/** S3's documents are a few levels deep and at most a few MB (a 1000-key listing of long keys). */
export const XML_LIMITS = { maxLength: 16 * 1024 * 1024, maxDepth: 64 } as const;

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

const isSpace = (c: number) => c === 0x20 || c === 0x9 || c === 0xa || c === 0xd;

/** NameStartChar, approximated as XML parsers do: ASCII letters, '_', ':' and anything past Latin-1's symbols. */
const isNameStart = (c: number) =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0xc0;
const isNameChar = (c: number) =>
  isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7;

interface Frame {
  /** As written, prefix included: the end tag must repeat it. */
  name: string;
  /** Without its namespace prefix: the name callers see. */
  local: string;
  children: { [name: string]: XmlElement | XmlElement[] } | undefined;
  text: string;
}

/** Sets own properties only, so a hostile `<__proto__>` is an element like any other. */
function addChild(
  parent: { [name: string]: XmlElement | XmlElement[] },
  name: string,
  value: XmlElement,
  arrays: ReadonlySet<string>,
): void {
  const existing = Object.hasOwn(parent, name) ? parent[name] : undefined;
  if (Array.isArray(existing)) existing.push(value);
  else {
    const next = existing === undefined ? (arrays.has(name) ? [value] : value) : [existing, value];
    Object.defineProperty(parent, name, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}

class Reader {
  private pos = 0;
  private readonly arrays: ReadonlySet<string>;
  private readonly lenient: boolean;
  private readonly maxDepth: number;

  constructor(
    private readonly text: string,
    options: XmlReadOptions,
  ) {
    this.arrays = new Set(options.arrays ?? []);
    this.lenient = options.lenient === true;
    this.maxDepth = options.maxDepth ?? XML_LIMITS.maxDepth;
  }

  fail(why: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = this.text.indexOf("\n"); i !== -1 && i < at; i = this.text.indexOf("\n", i + 1)) {
      line++;
      lineStart = i + 1;
    }
    throw new XmlParseError(`malformed XML: ${why} (line ${line}, column ${at - lineStart + 1})`);
  }

  document(): { root: string; element: XmlElement } {
    const { text } = this;
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    if (text.startsWith("<?xml", this.pos) && this.isDeclarationAt(this.pos)) this.declaration();
    this.misc();
    if (text.charCodeAt(this.pos) !== 0x3c) {
      this.fail(this.pos >= text.length ? "no root element" : "text before the root element");
    }
    const root = this.element();
    this.misc();
    if (this.pos < text.length) this.fail("content after the root element");
    return root;
  }

  private isDeclarationAt(at: number): boolean {
    const after = this.text.charCodeAt(at + 5);
    return isSpace(after) || after === 0x3f;
  }

  /** Whitespace, comments and processing instructions, outside the root element. */
  private misc(): void {
    const { text } = this;
    for (;;) {
      while (isSpace(text.charCodeAt(this.pos))) this.pos++;
      if (text.startsWith("<!--", this.pos)) this.skipPast("-->", "comment");
      else if (text.startsWith("<?", this.pos)) {
        if (text.startsWith("<?xml", this.pos) && this.isDeclarationAt(this.pos)) {
          this.fail("an XML declaration is allowed only at the start of the document");
        }
        this.skipPast("?>", "processing instruction");
      } else return;
    }
  }

  private skipPast(end: string, what: string): void {
    const at = this.text.indexOf(end, this.pos);
    if (at === -1) this.fail(`unterminated ${what}`);
    this.pos = at + end.length;
  }

  private name(): string {
    const { text } = this;
    const start = this.pos;
    if (!isNameStart(text.charCodeAt(start))) this.fail("expected a name");
    let end = start + 1;
    while (end < text.length && isNameChar(text.charCodeAt(end))) end++;
    this.pos = end;
    return text.slice(start, end);
  }

  private skipSpace(): boolean {
    const start = this.pos;
    while (isSpace(this.text.charCodeAt(this.pos))) this.pos++;
    return this.pos > start;
  }

  /** At '<' of a start tag: reads it, attributes checked and dropped. True when it closed itself. */
  private startTag(): { name: string; empty: boolean } {
    const { text } = this;
    this.pos++;
    const name = this.name();
    let seen: Set<string> | undefined;
    for (;;) {
      const spaced = this.skipSpace();
      const c = text.charCodeAt(this.pos);
      if (c === 0x3e) {
        this.pos++;
        return { name, empty: false };
      }
      if (c === 0x2f) {
        if (text.charCodeAt(this.pos + 1) !== 0x3e) this.fail("expected '>' after '/'");
        this.pos += 2;
        return { name, empty: true };
      }
      if (Number.isNaN(c)) this.fail(`unterminated start tag <${name}>`);
      if (!spaced) this.fail(`expected whitespace before an attribute in <${name}>`);
      seen = this.attribute(`<${name}>`, seen);
    }
  }

  /** One `name="value"` (or single-quoted); returns the names seen in this tag, to refuse a repeat. */
  private attribute(owner: string, seen: Set<string> | undefined): Set<string> {
    const { text } = this;
    const attribute = this.name();
    if (seen?.has(attribute)) this.fail(`attribute ${attribute} repeated in ${owner}`);
    this.skipSpace();
    if (text.charCodeAt(this.pos) !== 0x3d) this.fail(`attribute ${attribute} in ${owner} has no value`);
    this.pos++;
    this.skipSpace();
    const quote = text[this.pos];
    if (quote !== '"' && quote !== "'") this.fail(`attribute ${attribute} in ${owner} is not quoted`);
    const end = text.indexOf(quote, this.pos + 1);
    if (end === -1) this.fail(`unterminated value of attribute ${attribute} in ${owner}`);
    const lt = text.slice(this.pos + 1, end).indexOf("<");
    if (lt !== -1) this.fail(`'<' in the value of attribute ${attribute} in ${owner}`, this.pos + 1 + lt);
    this.pos = end + 1;
    return (seen ?? new Set()).add(attribute);
  }

  /** `<?xml version="1.0" encoding="UTF-8"?>`: pseudo-attributes, checked as attributes are. */
  private declaration(): void {
    this.pos += 5;
    let seen: Set<string> | undefined;
    for (;;) {
      const spaced = this.skipSpace();
      if (this.text.startsWith("?>", this.pos)) {
        this.pos += 2;
        return;
      }
      if (this.pos >= this.text.length) this.fail("unterminated XML declaration");
      if (!spaced) this.fail("expected whitespace in the XML declaration");
      seen = this.attribute("the XML declaration", seen);
    }
  }

  private local(name: string, at: number): string {
    const colon = name.indexOf(":");
    if (colon === -1) return name;
    const local = name.slice(colon + 1);
    if (local === "") this.fail(`element <${name}> has an empty local name`, at);
    return local;
  }

  /** At '<' of the root: reads it and everything inside, without recursion (depth is bounded, not the stack). */
  private element(): { root: string; element: XmlElement } {
    const { text } = this;
    const stack: Frame[] = [];
    const open = (): { root: string; element: XmlElement } | undefined => {
      const at = this.pos;
      const { name, empty } = this.startTag();
      const local = this.local(name, at);
      if (stack.length + 1 > this.maxDepth) this.fail(`elements nested deeper than ${this.maxDepth}`, at);
      const frame: Frame = { name, local, children: undefined, text: "" };
      if (!empty) {
        stack.push(frame);
        return undefined;
      }
      return this.close(stack, frame);
    };
    const done = open();
    if (done) return done;
    for (;;) {
      const frame = stack[stack.length - 1]!;
      const lt = text.indexOf("<", this.pos);
      if (lt === -1) this.fail(`unclosed element <${frame.name}>`, text.length);
      if (lt > this.pos) frame.text += this.decode(this.pos, lt);
      this.pos = lt;
      const next = text.charCodeAt(lt + 1);
      if (next === 0x2f) {
        this.pos += 2;
        const at = this.pos;
        const name = this.name();
        if (name !== frame.name) this.fail(`expected </${frame.name}>, found </${name}>`, at);
        this.skipSpace();
        if (text.charCodeAt(this.pos) !== 0x3e) this.fail(`expected '>' to end </${name}>`);
        this.pos++;
        stack.pop();
        const result = this.close(stack, frame);
        if (result) return result;
      } else if (next === 0x21) {
        if (text.startsWith("<!--", lt)) this.skipPast("-->", "comment");
        else if (text.startsWith("<![CDATA[", lt)) {
          const end = text.indexOf("]]>", lt + 9);
          if (end === -1) this.fail("unterminated CDATA section");
          frame.text += text.slice(lt + 9, end);
          this.pos = end + 3;
        } else this.fail("unexpected '<!' markup");
      } else if (next === 0x3f) {
        this.skipPast("?>", "processing instruction");
      } else {
        const result = open();
        if (result) return result;
      }
    }
  }

  /** Ends `frame`: its value goes to its parent, or is the document when it is the root. */
  private close(stack: Frame[], frame: Frame): { root: string; element: XmlElement } | undefined {
    let value: XmlElement;
    if (frame.children === undefined) value = frame.text;
    else {
      if (!this.lenient && frame.text.trim() !== "")
        this.fail(`text beside child elements in <${frame.name}>`);
      value = frame.children;
    }
    const parent = stack[stack.length - 1];
    if (parent === undefined) return { root: frame.local, element: value };
    parent.children ??= {};
    addChild(parent.children, frame.local, value, this.arrays);
    return undefined;
  }

  /** Text from `start` to `end`, with the five entities and character references decoded. */
  private decode(start: number, end: number): string {
    // Searched within the slice: a search of the whole text per chunk would be quadratic.
    const raw = this.text.slice(start, end);
    let at = raw.indexOf("&");
    if (at === -1) return raw;
    let out = "";
    let last = 0;
    while (at !== -1) {
      const semi = raw.indexOf(";", at + 1);
      // The longest reference the five entities and XML's character references allow is &#x10FFFF;.
      if (semi === -1 || semi - at > 10) this.fail("an '&' that starts no entity reference", start + at);
      out += raw.slice(last, at) + this.entity(raw.slice(at + 1, semi), start + at);
      last = semi + 1;
      at = raw.indexOf("&", last);
    }
    return out + raw.slice(last);
  }

  private entity(name: string, at: number): string {
    if (name.charCodeAt(0) !== 0x23) {
      const value = PREDEFINED[name];
      if (value === undefined) this.fail(`undefined entity &${name};`, at);
      return value;
    }
    const hex = name[1] === "x";
    const digits = name.slice(hex ? 2 : 1);
    const cp = (hex ? /^[0-9a-fA-F]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)
      ? Number.parseInt(digits, hex ? 16 : 10)
      : -1;
    const allowed = this.lenient ? cp >= 1 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) : isXmlChar(cp);
    if (!allowed) this.fail(`bad character reference &${name};`, at);
    return String.fromCodePoint(cp);
  }
}

/**
 * Parses an S3 XML document: elements and text, the five predefined entities and character
 * references, CDATA, comments and processing instructions (skipped). Attributes are checked and
 * dropped, namespace prefixes are dropped, and text is kept exactly (keys may start or end with
 * spaces or hold CR); the whitespace between child elements is dropped. A DOCTYPE or ENTITY
 * declaration is refused outright, so nothing is ever expanded or fetched (no XXE, no entity
 * bombs). Linear in the document's length; length and depth are bounded. Throws XmlParseError.
 */
export function parseXml(text: string, options: XmlReadOptions = {}): { root: string; element: XmlElement } {
  const maxLength = options.maxLength ?? XML_LIMITS.maxLength;
  if (text.length > maxLength) {
    throw new XmlParseError(`XML document of ${text.length} characters is over the limit of ${maxLength}`);
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new XmlParseError("XML with a DOCTYPE or ENTITY declaration is refused");
  }
  return new Reader(text, options).document();
}

function child(element: XmlElement | undefined, name: string): XmlElement | XmlElement[] | undefined {
  if (element === undefined || typeof element === "string" || !Object.hasOwn(element, name)) return undefined;
  return element[name];
}

/** The text of child `name`, leniently: undefined when absent, the first when repeated, "" for an element. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const value = child(element, name);
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === "string" ? first : "";
}

/**
 * The text of child `name`, strictly (for requests): undefined when absent, XmlParseError when
 * it is repeated or holds elements.
 */
export function singleChildText(element: XmlElement | undefined, name: string): string | undefined {
  const value = child(element, name);
  if (value === undefined || typeof value === "string") return value;
  if (Array.isArray(value)) throw new XmlParseError(`element <${name}> is repeated`);
  throw new XmlParseError(`element <${name}> holds elements where text belongs`);
}

/** The children named `name` (list the name in `arrays` when parsing), or [] when there are none. */
export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  const value = child(element, name);
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The Code and Message of an S3 `<Error>` document, or undefined when the text is not one. */
export function readErrorDocument(text: string): { code?: string; message?: string } | undefined {
  if (!/<Error[\s>]/.test(text)) return undefined;
  let doc: { root: string; element: XmlElement };
  try {
    doc = parseXml(text, { lenient: true });
  } catch {
    return undefined;
  }
  if (doc.root !== "Error") return undefined;
  const code = childText(doc.element, "Code");
  const message = childText(doc.element, "Message");
  return { ...(code !== undefined && { code }), ...(message !== undefined && { message }) };
}
