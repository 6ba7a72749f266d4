import fc from "fast-check";
import { verifyAuthorizationHeader, verifyRequest } from "../../../src/core/sigv4/verify.js";
import { type HeaderSpec, headerSpecArb, signHeaders, verifyHeaders } from "../../property/header-fixture.js";
import { applyEdits, type Edit, editsArb, nastyArb, rawTextArb } from "../arbitraries/mutate.js";
import { checkFailure, checkSameMeaning, rawAuthorizationArb } from "../arbitraries/sigv4.js";
import { observe } from "../harness/observe.js";
import { check, type FuzzTarget, settle } from "../harness/target.js";

type Part =
  | "authorization"
  | "x-amz-date"
  | "x-amz-content-sha256"
  | "url"
  | "signed-header"
  | "extra-header";

type Input =
  | { kind: "signed"; spec: HeaderSpec; part: Part; edits: Edit[]; extra: [string, string] }
  | { kind: "raw"; method: string; url: string; headers: Array<[string, string]> };

const NOW = new Date("2024-05-06T07:08:09Z");

const signedArb: fc.Arbitrary<Input> = fc.record({
  kind: fc.constant("signed" as const),
  spec: headerSpecArb,
  part: fc.constantFrom<Part>(
    "authorization",
    "authorization",
    "x-amz-date",
    "x-amz-content-sha256",
    "url",
    "signed-header",
    "extra-header",
  ),
  edits: editsArb(3),
  extra: fc.tuple(
    fc.oneof(fc.constantFrom("x-amz-meta-evil", "X-Amz-Date", "authorization"), nastyArb),
    nastyArb,
  ),
});

const rawArb: fc.Arbitrary<Input> = fc.record({
  kind: fc.constant("raw" as const),
  method: fc.oneof(fc.constantFrom("PUT", "GET"), rawTextArb(8)),
  url: fc.oneof(fc.constantFrom("/b/k", "http://h/b/k?x=1", "/b/%E0%A4%A"), rawTextArb(60)),
  headers: fc
    .tuple(
      rawAuthorizationArb,
      fc.oneof(fc.constant("20240506T070809Z"), rawTextArb(20)),
      fc.oneof(fc.constant("UNSIGNED-PAYLOAD"), rawTextArb(70)),
      fc.array(fc.tuple(rawTextArb(12), rawTextArb(20)), { maxLength: 3 }),
    )
    .map(
      ([auth, date, hash, more]): Array<[string, string]> => [
        ["host", "h"],
        ["authorization", auth],
        ["x-amz-date", date],
        ["x-amz-content-sha256", hash],
        ...more,
      ],
    ),
});

function replaceHeader(
  headers: Array<[string, string]>,
  name: string,
  edits: Edit[],
): Array<[string, string]> {
  return headers.map(([n, v]): [string, string] => [n, n.toLowerCase() === name ? applyEdits(v, edits) : v]);
}

async function signedProperty(input: Extract<Input, { kind: "signed" }>): Promise<void> {
  const s = await signHeaders(input.spec);
  const base = await verifyHeaders(s);
  check(base.ok, () => `a request signed by signRequest did not verify: ${!base.ok && base.error.code}`);
  check(base.auth.payloadHash === s.payloadHash, "the verified payload hash is not the one signed");
  if (input.edits.length === 0 && input.part !== "extra-header") {
    observe("round-trip");
    return;
  }

  let change: Parameters<typeof verifyHeaders>[1] = {};
  if (input.part === "url") change = { url: applyEdits(s.url, input.edits) };
  else if (input.part === "extra-header") change = { headers: [...s.headers, input.extra] };
  else if (input.part === "signed-header") {
    const names = base.auth.signedHeaders;
    const name = names[(input.edits[0]?.at ?? 0) % names.length]!;
    change = { headers: replaceHeader(s.headers, name, input.edits) };
  } else change = { headers: replaceHeader(s.headers, input.part, input.edits) };

  const r = await settle(
    () => verifyHeaders(s, change),
    () => false,
    "verifyAuthorizationHeader",
  );
  if (!r.ok) return;
  observe(r.value.ok ? "changed-but-same" : `refused:${r.value.error.code}`);
  if (!r.value.ok) checkFailure(r.value.error, "verifyAuthorizationHeader");
  else checkSameMeaning(r.value.auth, base.auth, "verifyAuthorizationHeader");
}

async function rawProperty(input: Extract<Input, { kind: "raw" }>): Promise<void> {
  const options = { region: "us-east-1", lookupSecret: () => "secret", now: NOW };
  const req = { method: input.method, url: input.url, headers: input.headers };
  for (const [what, verify] of [
    ["verifyAuthorizationHeader", verifyAuthorizationHeader],
    ["verifyRequest", verifyRequest],
  ] as const) {
    const r = await settle(
      () => verify(req, options),
      () => false,
      what,
    );
    if (r.ok && !r.value.ok) checkFailure(r.value.error, what);
    if (r.ok && !r.value.ok) observe(`raw:${r.value.error.code}`);
    // Random bytes cannot carry a valid HMAC over a request they did not see.
    check(!(r.ok && r.value.ok), `${what} accepted a random Authorization header`);
  }
}

/** The Authorization-header parser, reached through verifyAuthorizationHeader as S3 requests reach it. */
export const sigv4HeaderTarget: FuzzTarget<Input> = {
  name: "sigv4-header",
  subject: "SigV4 Authorization header: parseAuthorization, credential, date and payload-hash checks",
  reaches: [
    "round-trip",
    "changed-but-same",
    "refused:SignatureDoesNotMatch",
    "refused:AuthorizationHeaderMalformed",
    "refused:AccessDenied",
    "refused:InvalidURI",
    "raw:InvalidArgument",
    "raw:AuthorizationHeaderMalformed",
  ],
  arbitrary: fc.oneof({ arbitrary: signedArb, weight: 3 }, { arbitrary: rawArb, weight: 2 }),
  property: (input) => (input.kind === "signed" ? signedProperty(input) : rawProperty(input)),
};
