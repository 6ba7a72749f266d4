import fc from "fast-check";
import {
  describeTypes,
  extensionForType,
  normalizeTypePattern,
  typeMatches,
  validMimeType,
} from "../../../src/core/policy/mime.js";
import { KNOWN_TYPES } from "../../../src/core/policy/mime-table.js";
import { applyEdits, type Edit, editsArb, rawTextArb } from "../arbitraries/mutate.js";
import { observe } from "../harness/observe.js";
import { check, checkEqual, type FuzzTarget, settleSync } from "../harness/target.js";

interface Input {
  type: string;
  params: string;
  upper: boolean;
  pad: string;
  edits: Edit[];
  raw: string;
}

const nameArb = fc.stringMatching(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,20}$/);
const typeArb = fc.oneof(
  fc.constantFrom(...Object.keys(KNOWN_TYPES)),
  fc.tuple(nameArb, nameArb).map(([a, b]) => `${a}/${b}`),
);

const inputArb: fc.Arbitrary<Input> = fc.record({
  type: typeArb,
  params: fc.constantFrom("", "; charset=utf-8", ';x="a;b"', "; boundary=----x", ";"),
  upper: fc.boolean(),
  pad: fc.constantFrom("", " ", "\t", "  "),
  edits: editsArb(2),
  raw: rawTextArb(60),
});

const TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** Never throws, and what it returns is a bare type safe for a header. */
function normalized(value: string, what: string): string | undefined {
  const r = settleSync(
    () => validMimeType(value),
    () => false,
    "validMimeType",
  );
  const t = r.ok ? r.value : undefined;
  observe(`${what}:${t === undefined ? "invalid" : "type"}`);
  if (t !== undefined) {
    check(TYPE.test(t), () => `${what}: validMimeType returned ${JSON.stringify(t)}`);
    checkEqual(validMimeType(t), t, `${what}: validMimeType is idempotent`);
    check(typeMatches(value, [t]) && typeMatches(value, ["*/*"]), `${what}: a type does not match itself`);
    check(typeMatches(value, [`${t.split("/")[0]}/*`]), `${what}: a type does not match its family`);
    const ext = extensionForType(value);
    check(ext === "" || /^\.[a-z0-9]{1,16}$/.test(ext), () => `${what}: extension ${JSON.stringify(ext)}`);
  } else {
    check(!typeMatches(value, ["*/*"]), `${what}: an invalid type matched */*`);
  }
  const pattern = settleSync(
    () => normalizeTypePattern(value),
    () => false,
    "normalizeTypePattern",
  );
  if (pattern.ok && pattern.value !== undefined)
    checkEqual(normalizeTypePattern(pattern.value), pattern.value, "pattern idempotent");
  settleSync(
    () => describeTypes([value]),
    () => false,
    "describeTypes",
  );
  return t;
}

function property(input: Input): void {
  const written = `${input.pad}${input.upper ? input.type.toUpperCase() : input.type}${input.params}${input.pad}`;
  // Round trip: any way of writing a valid type normalizes back to it.
  checkEqual(normalized(written, "written"), input.type, `validMimeType(${JSON.stringify(written)})`);
  normalized(applyEdits(written, input.edits), "mutated");
  normalized(input.raw, "raw");
}

/** Content types: validMimeType, patterns, matching and extensions on mutated and raw input. */
export const mimeTarget: FuzzTarget<Input> = {
  name: "mime",
  subject:
    "MIME types (core/policy/mime): validMimeType, normalizeTypePattern, typeMatches, extensionForType",
  reaches: ["written:type", "mutated:type", "mutated:invalid", "raw:invalid"],
  arbitrary: inputArb,
  property,
};
