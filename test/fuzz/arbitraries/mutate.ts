import fc from "fast-check";

/**
 * Mutations of structurally valid inputs: each edit inserts, deletes, replaces, duplicates or
 * truncates at a position taken modulo the length, so the same edits apply to any text.
 */
export type EditKind = "insert" | "delete" | "replace" | "duplicate" | "truncate";
export interface Edit {
  kind: EditKind;
  at: number;
  length: number;
  text: string;
}

/** Fragments that break parsers: framing, escapes, limits, control and odd Unicode, prototype names. */
export const NASTY = [
  "",
  "\r\n",
  "\n",
  "\r",
  "\0",
  "\t",
  " ",
  "%",
  "%2",
  "%ZZ",
  "%00",
  "%C0%AF",
  "%E0%80%AF",
  "%ED%A0%80",
  "&",
  "=",
  ";",
  ",",
  ":",
  "/",
  "//",
  "..",
  "../",
  "{",
  "}",
  "{random}",
  "<",
  ">",
  "</",
  "<!--",
  "]]>",
  "&amp;",
  "&#0;",
  "&#x110000;",
  "&lt",
  '"',
  "'",
  "\\",
  "*",
  "\u202e",
  "\u200b",
  "\ufeff",
  "\ud800",
  "\udfff",
  "😀",
  "é",
  "\u0085",
  "\u2028",
  "-1",
  "0",
  "00000000000000000000001",
  "99999999999999999999",
  "1e309",
  "0x10",
  "NaN",
  "Infinity",
  "__proto__",
  "constructor",
  "A".repeat(300),
  "9".repeat(40),
];

export const nastyArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 6 }), weight: 2 },
  { arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 6 }), weight: 2 },
);

export const editArb = (text: fc.Arbitrary<string> = nastyArb): fc.Arbitrary<Edit> =>
  fc.record({
    kind: fc.constantFrom<EditKind>("insert", "delete", "replace", "replace", "duplicate", "truncate"),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 8 }),
    text,
  });

/** Zero to `max` edits; zero keeps the valid input, whose round trip is then checked. */
export const editsArb = (max = 3, text?: fc.Arbitrary<string>): fc.Arbitrary<Edit[]> =>
  fc.oneof(
    { arbitrary: fc.constant<Edit[]>([]), weight: 1 },
    { arbitrary: fc.array(editArb(text), { minLength: 1, maxLength: max }), weight: 4 },
  );

export function applyEdit(text: string, edit: Edit): string {
  const at = edit.at % (text.length + 1);
  const end = Math.min(text.length, at + edit.length);
  switch (edit.kind) {
    case "insert":
      return text.slice(0, at) + edit.text + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(end);
    case "replace":
      return text.slice(0, at) + edit.text + text.slice(end);
    case "duplicate":
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    case "truncate":
      return text.slice(0, at);
  }
}

export const applyEdits = (text: string, edits: readonly Edit[]): string => edits.reduce(applyEdit, text);

/** Byte-level edits of wire formats (aws-chunked, multipart/form-data): the text is Latin-1 bytes. */
export function applyByteEdits(bytes: Uint8Array, edits: readonly Edit[]): Uint8Array {
  if (edits.length === 0) return bytes;
  const latin1 = Buffer.from(bytes).toString("latin1");
  // Each edit's text goes in as UTF-8 bytes, so multi-byte and invalid sequences reach the parser.
  const edited = edits.reduce(
    (text, edit) => applyEdit(text, { ...edit, text: Buffer.from(edit.text, "utf8").toString("latin1") }),
    latin1,
  );
  return new Uint8Array(Buffer.from(edited, "latin1"));
}

/** Random bytes, sometimes mostly printable, for the "raw garbage" half of each target. */
export const rawBytesArb = (maxLength: number): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.uint8Array({ maxLength }),
    fc.string({ unit: "grapheme-ascii", maxLength }).map((s) => new Uint8Array(Buffer.from(s, "latin1"))),
    fc
      .array(nastyArb, { maxLength: Math.max(1, Math.floor(maxLength / 8)) })
      .map((parts) => new Uint8Array(Buffer.from(parts.join(""), "utf8"))),
  );

/** Random text: any code units (lone surrogates included), printable ASCII, or nasty fragments. */
export const rawTextArb = (maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: "binary", maxLength }),
    fc.string({ unit: "grapheme-ascii", maxLength }),
    fc.string({ unit: fc.constantFrom(...NASTY), maxLength: Math.max(1, Math.floor(maxLength / 8)) }),
  );

/** Cut points for streaming parsers: the wire is pushed in pieces of these sizes, cycling. */
export const cutsArb: fc.Arbitrary<number[]> = fc.oneof(
  fc.constant<number[]>([1 << 30]),
  fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
  fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
);

export function splitBytes(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0, i = 0; off < bytes.length; i++) {
    const n = cuts[i % cuts.length]!;
    out.push(bytes.slice(off, off + n));
    off += n;
  }
  return out;
}
