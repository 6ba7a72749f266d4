import fc from "fast-check";
import { parseCredential } from "../../../src/core/sigv4/credential.js";
import { parseQuery, uriEncode } from "../../../src/core/sigv4/encode.js";
import { formatAmzDate, parseAmzDate } from "../../../src/core/sigv4/time.js";
import { verifyPresignedUrl } from "../../../src/core/sigv4/verify.js";
import { type PresignSpec, presign, presignSpecArb, verify } from "../../property/presign-fixture.js";
import { dateArb } from "../../support/sigv4-arbitraries.js";
import { applyEdits, type Edit, editsArb, rawTextArb } from "../arbitraries/mutate.js";
import { checkFailure, checkSameMeaning } from "../arbitraries/sigv4.js";
import { observe } from "../harness/observe.js";
import { check, checkEqual, type FuzzTarget, settle, settleSync } from "../harness/target.js";

type Part = "query" | "url" | "param" | "header";

type Input =
  | { kind: "signed"; spec: PresignSpec; part: Part; edits: Edit[]; param: number }
  | { kind: "raw"; url: string; headers: Array<[string, string]> }
  | {
      kind: "helpers";
      pairs: Array<[string, string]>;
      rawQuery: string;
      credential: string[];
      date: Date;
      rawDate: string;
    };

const AUTH = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders"];

const signedArb: fc.Arbitrary<Input> = fc.record({
  kind: fc.constant("signed" as const),
  spec: presignSpecArb,
  part: fc.constantFrom<Part>("query", "query", "url", "param", "param", "header"),
  edits: editsArb(3),
  param: fc.nat(),
});

const rawQueryArb = fc.oneof(
  rawTextArb(120),
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...AUTH, "X-Amz-Signature", "X-Amz-Security-Token"), rawTextArb(10)),
        rawTextArb(40),
      ),
      { maxLength: 8 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("&")),
);

const rawArb: fc.Arbitrary<Input> = fc.record({
  kind: fc.constant("raw" as const),
  url: fc
    .tuple(fc.oneof(fc.constantFrom("/b/k", "https://h/b/k", ""), rawTextArb(30)), rawQueryArb)
    .map(([path, query]) => `${path}?${query}`),
  headers: fc.array(fc.tuple(rawTextArb(12), rawTextArb(20)), { maxLength: 3 }),
});

const helpersArb: fc.Arbitrary<Input> = fc.record({
  kind: fc.constant("helpers" as const),
  pairs: fc.array(
    fc.tuple(fc.string({ unit: "grapheme", maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 12 })),
    {
      maxLength: 6,
    },
  ),
  rawQuery: rawTextArb(80),
  credential: fc.array(
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 10 }).filter((p) => !p.includes("/")),
    {
      minLength: 5,
      maxLength: 5,
    },
  ),
  date: dateArb,
  rawDate: fc.oneof(rawTextArb(20), fc.stringMatching(/^\d{8}T\d{6}Z$/)),
});

/** Replaces the value of the n-th query parameter (raw, as sent) with its edited self. */
function editParam(url: string, n: number, edits: Edit[]): string {
  const q = url.indexOf("?");
  const params = url.slice(q + 1).split("&");
  const i = n % params.length;
  params[i] = applyEdits(params[i]!, edits);
  return `${url.slice(0, q)}?${params.join("&")}`;
}

async function signedProperty(input: Extract<Input, { kind: "signed" }>): Promise<void> {
  const p = await presign(input.spec);
  const base = await verify(p);
  check(base.ok, () => `a URL presigned by presignUrl did not verify: ${!base.ok && base.error.code}`);
  if (input.edits.length === 0) {
    observe("round-trip");
    return;
  }
  const q = p.url.indexOf("?");
  let change: Parameters<typeof verify>[1];
  switch (input.part) {
    case "query":
      change = { url: `${p.url.slice(0, q)}?${applyEdits(p.url.slice(q + 1), input.edits)}` };
      break;
    case "url":
      change = { url: applyEdits(p.url, input.edits) };
      break;
    case "param":
      change = { url: editParam(p.url, input.param, input.edits) };
      break;
    case "header": {
      const i = input.param % p.headers.length;
      change = {
        headers: p.headers.map(([n, v], j): [string, string] => [
          n,
          j === i ? applyEdits(v, input.edits) : v,
        ]),
      };
    }
  }
  const r = await settle(
    () => verify(p, change),
    () => false,
    "verifyPresignedUrl",
  );
  if (!r.ok) return;
  observe(r.value.ok ? "changed-but-same" : `refused:${r.value.error.code}`);
  if (!r.value.ok) checkFailure(r.value.error, "verifyPresignedUrl");
  else checkSameMeaning(r.value.auth, base.auth, "verifyPresignedUrl");
}

async function rawProperty(input: Extract<Input, { kind: "raw" }>): Promise<void> {
  const options = {
    region: "us-east-1",
    lookupSecret: () => "secret",
    now: new Date("2024-05-06T07:08:09Z"),
  };
  const r = await settle(
    () => verifyPresignedUrl({ method: "GET", url: input.url, headers: input.headers }, options),
    () => false,
    "verifyPresignedUrl",
  );
  if (r.ok && !r.value.ok) checkFailure(r.value.error, "verifyPresignedUrl");
  if (r.ok && !r.value.ok) observe(`raw:${r.value.error.code}`);
  check(!(r.ok && r.value.ok), "verifyPresignedUrl accepted a random query");
}

function helpersProperty(input: Extract<Input, { kind: "helpers" }>): void {
  // Round trip: pairs encoded as SigV4 does, then parsed, are the same pairs in the same order.
  const encoded = input.pairs.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join("&");
  checkEqual(parseQuery(encoded), input.pairs, `parseQuery(${JSON.stringify(encoded)})`);
  const raw = settleSync(
    () => parseQuery(input.rawQuery),
    () => false,
    "parseQuery",
  );
  if (raw.ok && raw.value !== undefined) {
    check(
      raw.value.every(([k, v]) => typeof k === "string" && typeof v === "string"),
      "parseQuery returned a non-string pair",
    );
  }
  const text = input.credential.join("/");
  const cred = parseCredential(text);
  checkEqual(
    cred && [cred.accessKeyId, cred.date, cred.region, cred.service, cred.terminal],
    input.credential,
    `parseCredential(${JSON.stringify(text)})`,
  );
  const formatted = formatAmzDate(input.date);
  checkEqual(parseAmzDate(formatted)?.getTime(), input.date.getTime(), `parseAmzDate(${formatted})`);
  observe("helpers-round-trip");
  const parsed = settleSync(
    () => parseAmzDate(input.rawDate),
    () => false,
    "parseAmzDate",
  );
  if (parsed.ok && parsed.value !== undefined) {
    checkEqual(formatAmzDate(parsed.value), input.rawDate, "formatAmzDate(parseAmzDate(x))");
  }
}

/** The presigned-URL (query) parser, reached through verifyPresignedUrl, and its helpers' round trips. */
export const sigv4QueryTarget: FuzzTarget<Input> = {
  name: "sigv4-query",
  subject: "SigV4 presigned query: parseQuery, X-Amz-* parameters, credential, X-Amz-Date, expiry",
  reaches: [
    "round-trip",
    "changed-but-same",
    "helpers-round-trip",
    "refused:SignatureDoesNotMatch",
    "refused:AuthorizationQueryParametersError",
    "refused:InvalidURI",
    "raw:AuthorizationQueryParametersError",
  ],
  arbitrary: fc.oneof(
    { arbitrary: signedArb, weight: 3 },
    { arbitrary: rawArb, weight: 2 },
    { arbitrary: helpersArb, weight: 1 },
  ),
  property: (input) =>
    input.kind === "signed"
      ? signedProperty(input)
      : input.kind === "raw"
        ? rawProperty(input)
        : helpersProperty(input),
};
