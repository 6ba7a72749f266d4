import fc from "fast-check";
import { UpgateError } from "../../../src/core/errors.js";
import { formatSize, parseSize } from "../../../src/core/util/sizes.js";
import { applyEdits, type Edit, editsArb, rawTextArb } from "../arbitraries/mutate.js";
import { observe } from "../harness/observe.js";
import { check, checkEqual, type FuzzTarget, settleSync } from "../harness/target.js";

type Input =
  | { kind: "bytes"; bytes: number; edits: Edit[] }
  | { kind: "unit"; whole: number; unit: string; space: string }
  | { kind: "raw"; value: string | number };

const UNITS: Array<[string, number]> = [
  ["", 0],
  ["b", 0],
  ["B", 0],
  ["bytes", 0],
  ["KB", 1],
  ["kib", 1],
  ["MB", 2],
  ["MiB", 2],
  ["gb", 3],
  ["GiB", 3],
  ["TB", 4],
  ["tib", 4],
];

const inputArb: fc.Arbitrary<Input> = fc.oneof(
  fc.record({
    kind: fc.constant("bytes" as const),
    bytes: fc.oneof(
      fc.nat({ max: 2048 }),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      fc.constantFrom(1023, 1024, 1048575, Math.round(1048576 * 1023.96)),
    ),
    edits: editsArb(2, fc.oneof(rawTextArb(4), fc.constantFrom(".", "-", "+", " ", "e3", "KB", "PB", "ß"))),
  }),
  fc.record({
    kind: fc.constant("unit" as const),
    whole: fc.nat({ max: 10_000_000 }),
    unit: fc.constantFrom(...UNITS.map(([u]) => u)),
    space: fc.constantFrom("", " ", "\t"),
  }),
  fc.record({
    kind: fc.constant("raw" as const),
    value: fc.oneof(
      rawTextArb(30),
      fc.double(),
      fc.integer(),
      fc.constantFrom(
        Number.NaN,
        -0,
        2 ** 53,
        1e21,
        "1e3",
        "0x10",
        " 5 MB ",
        "5 mb",
        "1.5GB",
        "-0",
        "+1",
        "1.",
        ".5",
      ),
    ),
  }),
);

const isSizeError = (err: unknown) => err instanceof UpgateError && err.code === "CONFIG_INVALID";

function checkBytes(value: unknown, what: string): void {
  check(
    typeof value === "number" && Number.isSafeInteger(value) && value >= 0,
    () => `${what} returned ${String(value)}`,
  );
}

function property(input: Input): void {
  if (input.kind === "raw") {
    const r = settleSync(() => parseSize(input.value), isSizeError, "parseSize");
    observe(r.ok ? "raw-parsed" : "raw-refused");
    if (r.ok) checkBytes(r.value, `parseSize(${JSON.stringify(input.value)})`);
    return;
  }
  if (input.kind === "unit") {
    const text = `${input.whole}${input.space}${input.unit}`;
    const power = UNITS.find(([u]) => u === input.unit)![1];
    const expected = input.whole * 1024 ** power;
    const r = settleSync(() => parseSize(text), isSizeError, "parseSize");
    if (Number.isSafeInteger(expected))
      checkEqual(r.ok && r.value, expected, `parseSize(${JSON.stringify(text)})`);
    else check(!r.ok, `parseSize(${JSON.stringify(text)}) accepted a size past 2^53`);
    return;
  }
  const shown = formatSize(input.bytes);
  if (input.edits.length === 0) {
    // Round trips: the exact byte count reads back, and a formatted size reads back to the same display.
    checkEqual(parseSize(String(input.bytes)), input.bytes, `parseSize(String(${input.bytes}))`);
    checkEqual(parseSize(input.bytes), input.bytes, `parseSize(${input.bytes})`);
    const back = settleSync(
      () => parseSize(shown),
      () => false,
      "parseSize(formatSize(n))",
    );
    observe("round-trip");
    if (back.ok) checkEqual(formatSize(back.value), shown, `formatSize(parseSize(${JSON.stringify(shown)}))`);
    return;
  }
  const text = applyEdits(shown, input.edits);
  const r = settleSync(() => parseSize(text), isSizeError, "parseSize");
  observe(r.ok ? "mutated-parsed" : "mutated-refused");
  if (r.ok) checkBytes(r.value, `parseSize(${JSON.stringify(text)})`);
}

/** Sizes in configs: parseSize on mutated formatSize output and raw text, with round trips. */
export const sizeTarget: FuzzTarget<Input> = {
  name: "size",
  subject: "parseSize / formatSize (core/policy/sizes), round trips format → parse",
  reaches: ["round-trip", "raw-parsed", "raw-refused", "mutated-parsed", "mutated-refused"],
  arbitrary: inputArb,
  property,
};
