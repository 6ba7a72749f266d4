import fc from "fast-check";
import { UpgateError } from "../../../src/core/errors.js";
import { safeSegment } from "../../../src/core/policy/key-segment.js";
import { KEY_VARIABLES, renderKey, validateKeyTemplate } from "../../../src/core/policy/keys.js";
import { s3KeyProblem } from "../../../src/core/policy/s3-key.js";
import { applyEdits, type Edit, editsArb, nastyArb, rawTextArb } from "../arbitraries/mutate.js";
import { observe } from "../harness/observe.js";
import { check, checkEqual, type FuzzTarget, settleSync } from "../harness/target.js";

interface Input {
  pieces: string[];
  edits: Edit[];
  route: string;
  userId: string;
  uploadId: string;
  ext: string;
  random: string;
  date: Date;
}

const pieceArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KEY_VARIABLES.map((v) => `{${v}}`)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom("/", "uploads/", "-", ".", "_", "a", "{", "}", "{}", "{Random}", "//", "../"),
  },
  { weight: 1, arbitrary: nastyArb },
);
const valueArb = fc.oneof(
  fc.stringMatching(/^[a-z0-9_-]{1,10}$/),
  fc.constantFrom(".", "..", "../etc", "a/b", "%2F", "\0", "\u202e", "x".repeat(300)),
  rawTextArb(40),
);

const inputArb: fc.Arbitrary<Input> = fc.record({
  pieces: fc
    .tuple(
      fc.constantFrom(
        "",
        "{route}/{userId}/{random}{ext}",
        "uploads/{date}/{random}",
        "{route}/{uploadId}-{random}{ext}",
      ),
      fc.array(pieceArb, { maxLength: 8 }),
    )
    .map(([base, more]) => [base, ...more]),
  edits: fc.oneof({ weight: 3, arbitrary: fc.constant<Edit[]>([]) }, { weight: 1, arbitrary: editsArb(2) }),
  route: valueArb,
  userId: valueArb,
  uploadId: valueArb,
  ext: fc.oneof(fc.constantFrom("", ".png", ".tar", ".a1"), rawTextArb(6)),
  random: fc.oneof(fc.stringMatching(/^[a-z2-7]{26}$/), rawTextArb(30)),
  date: fc.date({ min: new Date(-1e14), max: new Date(1e14) }),
});

const configInvalid = (err: unknown) => err instanceof UpgateError && err.code === "CONFIG_INVALID";

/** A key segment back to its value: percent-decoded, or undefined for a shortened (hashed) one. */
function unsegment(segment: string): string | undefined {
  if (segment.includes("~")) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function property(input: Input): void {
  const template = applyEdits(input.pieces.join(""), input.edits);
  const valid = settleSync(() => validateKeyTemplate(template), configInvalid, "validateKeyTemplate");
  const vars = {
    route: input.route,
    userId: input.userId,
    uploadId: input.uploadId,
    ext: input.ext,
    random: input.random,
    date: input.date,
  };
  const rendered = settleSync(() => renderKey(template, vars), configInvalid, "renderKey");
  observe(!valid.ok ? "template-refused" : rendered.ok ? "rendered" : "vars-refused");
  if (!valid.ok) {
    check(!rendered.ok, "renderKey rendered a template validateKeyTemplate refused");
    return;
  }
  if (!rendered.ok) return;
  const key = rendered.value;
  check(
    s3KeyProblem(key) === undefined,
    () => `renderKey made an unsafe key ${JSON.stringify(key)}: ${s3KeyProblem(key)}`,
  );
  check(new TextEncoder().encode(key).length <= 1024, "a key over 1024 bytes");
  // The key is the template with each variable in place: {random}, {ext} and {date} as given,
  // and route, user and upload ids as safe segments, which read back as the values themselves.
  const segments = {
    route: safeSegment(input.route),
    userId: safeSegment(input.userId),
    uploadId: safeSegment(input.uploadId),
  };
  // Only read when the template has {date}, which renderKey has then checked is a valid date.
  const date = () => input.date.toISOString();
  const expected = template.replace(/\{([a-zA-Z]+)\}/g, (_, name: string) =>
    name === "random"
      ? input.random
      : name === "ext"
        ? input.ext
        : name === "date"
          ? `${date().slice(0, 4)}/${date().slice(5, 7)}/${date().slice(8, 10)}`
          : segments[name as keyof typeof segments],
  );
  checkEqual(key, expected, `renderKey(${JSON.stringify(template)})`);
  for (const name of ["route", "userId", "uploadId"] as const) {
    const segment = segments[name];
    // The empty string has no segment: renderKey refuses it wherever the template uses it.
    if (vars[name] === "") continue;
    check(
      !segment.includes("/") && segment !== "." && segment !== "..",
      () => `{${name}} segment ${JSON.stringify(segment)}`,
    );
    check(
      /^[A-Za-z0-9._~%-]+$/.test(segment),
      () => `{${name}} segment ${JSON.stringify(segment)} is not URL-safe`,
    );
    // A lone surrogate is written in WTF-8 on purpose, which no URL decoder reads back.
    if (!vars[name].isWellFormed()) continue;
    const value = unsegment(segment);
    if (value !== undefined) checkEqual(value, vars[name], `{${name}} read back from its segment`);
    else
      check(
        segment.length <= 128 && /~[a-z2-7]{26}$/.test(segment),
        () => `{${name}} shortened to ${JSON.stringify(segment)}`,
      );
  }
}

/** Key templates: validation and rendering with hostile route names, user ids and upload ids. */
export const keyTemplateTarget: FuzzTarget<Input> = {
  name: "key-template",
  subject: "key templates (core/policy/keys): validateKeyTemplate, renderKey, safeSegment round trip",
  reaches: ["rendered", "template-refused", "vars-refused"],
  arbitrary: inputArb,
  property,
};
