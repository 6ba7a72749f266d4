import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SEED } from "../support/sigv4-arbitraries.js";
import { type HeaderSigned, headerSpecArb, signHeaders, verifyHeaders } from "./header-fixture.js";
import { SKEW_MS } from "./presign-fixture.js";
import { amzDateTime } from "./presign-oracle.js";
import {
  ALNUM,
  ANY_CHAR,
  detail,
  editArb,
  editValue,
  expectedForPath,
  failureOf,
  joinUrl,
  OutcomeLog,
  outcome,
  replaceOne,
  splitUrl,
  VISIBLE,
} from "./tamper.js";

const RUNS = { seed: SEED, numRuns: 200 };
const log = new OutcomeLog();

/** What S3 says when x-amz-date reads `value` (s3-semantics §1.3), in its order of checks. */
function expectedForDate(s: HeaderSigned, value: string): string {
  const t = amzDateTime(value);
  if (t === undefined) return "AccessDenied";
  if (value.slice(0, 8) !== s.signed.headers["x-amz-date"]!.slice(0, 8))
    return "AuthorizationHeaderMalformed";
  if (Math.abs(s.options.now!.getTime() - t) > SKEW_MS) return "RequestTimeTooSkewed";
  return "SignatureDoesNotMatch";
}

describe("signRequest → verifyAuthorizationHeader round trip", () => {
  it("accepts the signed request within the 15-minute skew", async () => {
    await fc.assert(
      fc.asyncProperty(headerSpecArb, async (spec) => {
        const s = await signHeaders(spec);
        const r = await verifyHeaders(s);
        if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
        const names = s.headers.map(([n]) => n.toLowerCase()).filter((n) => n !== "authorization");
        expect(r.auth.type).toBe("header");
        expect(r.auth.accessKeyId).toBe(spec.credentials.accessKeyId);
        expect(r.auth.signedHeaders).toEqual(names.sort());
        expect(r.auth.payloadHash).toBe(s.payloadHash);
        expect(r.auth.signature).toBe(s.signed.signature);
        expect(r.auth.scope.region).toBe(spec.region);
        expect(s.signed.headers.authorization).toBe(
          `AWS4-HMAC-SHA256 Credential=${spec.credentials.accessKeyId}/${r.auth.scope.value}, SignedHeaders=${names.join(";")}, Signature=${s.signed.signature}`,
        );
      }),
      RUNS,
    );
  });
});

describe("verifyAuthorizationHeader: one changed character, the exact error", () => {
  it("method, any query value or any signed header value → SignatureDoesNotMatch (or the header's own error)", async () => {
    await fc.assert(
      fc.asyncProperty(headerSpecArb, fc.nat(), editArb, async (spec, which, edit) => {
        const s = await signHeaders(spec);
        const parts = splitUrl(s.url);
        const fixed = new Set(["authorization", "x-amz-date"]);
        const headerIdx = s.headers
          .map((_, i) => i)
          .filter((i) => !fixed.has(s.headers[i]![0].toLowerCase()));
        const queryIdx = parts.query.map((_, i) => i).filter((i) => parts.query[i]![1] !== "");
        const n = which % (1 + headerIdx.length + queryIdx.length);
        let r: Awaited<ReturnType<typeof verifyHeaders>>;
        let expected = "SignatureDoesNotMatch";
        if (n === 0) {
          r = await verifyHeaders(s, { method: replaceOne(s.method, edit, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") });
        } else if (n <= headerIdx.length) {
          const i = headerIdx[n - 1]!;
          const [name, value] = s.headers[i]!;
          const changed = replaceOne(value || " ", edit, VISIBLE);
          if (name === "x-amz-security-token") expected = "InvalidToken";
          if (name === "x-amz-content-sha256" && !/^([0-9a-f]{64}|UNSIGNED-PAYLOAD)$/.test(changed)) {
            expected = "InvalidArgument";
          }
          const headers = s.headers.map(([k, v], j): [string, string] => [k, j === i ? changed : v]);
          r = await verifyHeaders(s, { headers });
        } else {
          const i = queryIdx[n - 1 - headerIdx.length]!;
          const query = parts.query.map(([k, v], j): [string, string] => [
            k,
            j === i ? replaceOne(v, edit, ANY_CHAR) : v,
          ]);
          r = await verifyHeaders(s, { url: joinUrl({ ...parts, query }) });
        }
        log.add("any", outcome(r));
        expect(outcome(r)).toBe(expected);
      }),
      { ...RUNS, numRuns: 300 },
    );
    expect(log.of("any")).toEqual(["InvalidArgument", "InvalidToken", "SignatureDoesNotMatch"]);
  });

  it("path byte → SignatureDoesNotMatch, InvalidURI for a broken escape, ok if it decodes the same", async () => {
    await fc.assert(
      fc.asyncProperty(headerSpecArb, editArb, async (spec, edit) => {
        const s = await signHeaders(spec);
        const parts = splitUrl(s.url);
        const path = replaceOne(parts.path, edit, `${ALNUM}-_.~/%abcdef`);
        const expected = expectedForPath(parts.path, path);
        expect(outcome(await verifyHeaders(s, { url: joinUrl({ ...parts, path }) }))).toBe(expected);
      }),
      RUNS,
    );
  });

  it("x-amz-date → invalid date, credential date mismatch, skew, or SignatureDoesNotMatch", async () => {
    await fc.assert(
      fc.asyncProperty(headerSpecArb, editArb, async (spec, edit) => {
        const s = await signHeaders(spec);
        const value = replaceOne(s.signed.headers["x-amz-date"]!, edit, "0123456789TZ");
        const headers = editValue(s.headers, "x-amz-date", () => value);
        const got = outcome(await verifyHeaders(s, { headers }));
        log.add("date", got);
        expect(got).toBe(expectedForDate(s, value));
      }),
      { ...RUNS, numRuns: 300 },
    );
    expect(log.of("date")).toEqual([
      "AccessDenied",
      "AuthorizationHeaderMalformed",
      "RequestTimeTooSkewed",
      "SignatureDoesNotMatch",
    ]);
  });

  it("Signature → SignatureDoesNotMatch whose StringToSign and CanonicalRequest are the signer's", async () => {
    await fc.assert(
      fc.asyncProperty(headerSpecArb, editArb, async (spec, edit) => {
        const s = await signHeaders(spec);
        const sig = replaceOne(s.signed.signature, edit, "0123456789abcdefABCDEF");
        const auth = s.signed.headers.authorization!.replace(/Signature=[0-9a-f]+$/, `Signature=${sig}`);
        const headers = editValue(s.headers, "authorization", () => auth);
        const f = failureOf(await verifyHeaders(s, { headers }));
        expect([f.code, f.status]).toEqual(["SignatureDoesNotMatch", 403]);
        expect(detail(f, "AWSAccessKeyId")).toBe(spec.credentials.accessKeyId);
        expect(detail(f, "SignatureProvided")).toBe(sig);
        expect(detail(f, "StringToSign")).toBe(s.signed.stringToSign);
        expect(detail(f, "CanonicalRequest")).toBe(s.signed.canonicalRequest);
        expect(detail(f, "CanonicalRequestBytes")).toBe(
          Buffer.from(s.signed.canonicalRequest)
            .toString("hex")
            .replace(/(..)(?!$)/g, "$1 "),
        );
        expect(detail(f, "StringToSignBytes")).toBe(
          Buffer.from(s.signed.stringToSign)
            .toString("hex")
            .replace(/(..)(?!$)/g, "$1 "),
        );
      }),
      RUNS,
    );
  });
});
