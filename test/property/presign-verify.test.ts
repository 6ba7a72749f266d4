import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SEED } from "../support/sigv4-arbitraries.js";
import { presign, presignSpecArb, verify } from "./presign-fixture.js";
import { expectedForQuery } from "./presign-oracle.js";
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

describe("presignUrl → verifyPresignedUrl round trip", () => {
  it("accepts the URL with the headers it said to send, at any time in its window", async () => {
    await fc.assert(
      fc.asyncProperty(presignSpecArb, async (spec) => {
        const p = await presign(spec);
        // The URL is canonical: re-encoding its decoded parts gives it back byte for byte.
        expect(joinUrl(splitUrl(p.url))).toBe(p.url);
        const r = await verify(p);
        if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
        const day = p.url.match(/X-Amz-Date=(\d{8})T/)![1]!;
        expect(r.auth.type).toBe("query");
        expect(r.auth.accessKeyId).toBe(spec.credentials.accessKeyId);
        expect(r.auth.scope).toEqual({
          date: day,
          region: spec.region,
          service: "s3",
          value: `${day}/${spec.region}/s3/aws4_request`,
        });
        expect(r.auth.signedHeaders).toEqual(p.signed.signedHeaders);
        expect(r.auth.signature).toBe(p.signed.signature);
        expect(r.auth.payloadHash).toBe("UNSIGNED-PAYLOAD");
        expect(r.auth.expiresAt).toEqual(new Date(spec.date.getTime() + spec.expiresIn * 1000));
        const hoisted = spec.headers.filter(([n]) => /^x-amz-(meta-|acl$|storage-class$)/.test(n));
        const other = [...spec.query, ...hoisted].map(([k, v]) => `${k}=${v}`).sort();
        expect(r.auth.query.map(([k, v]) => `${k}=${v}`).sort()).toEqual(other);
      }),
      RUNS,
    );
  });

  it("treats percent-escapes case-insensitively in the path (S3 decodes once, then re-encodes)", async () => {
    await fc.assert(
      fc.asyncProperty(presignSpecArb, async (spec) => {
        const p = await presign(spec);
        const parts = splitUrl(p.url);
        const lower = parts.path.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
        expect(outcome(await verify(p, { url: joinUrl({ ...parts, path: lower }) }))).toBe("ok");
      }),
      RUNS,
    );
  });
});

describe("verifyPresignedUrl: one changed character, the exact error", () => {
  it("method → SignatureDoesNotMatch", async () => {
    await fc.assert(
      fc.asyncProperty(presignSpecArb, editArb, async (spec, edit) => {
        const p = await presign(spec);
        const r = await verify(p, { method: replaceOne(p.method, edit, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") });
        expect(outcome(r)).toBe("SignatureDoesNotMatch");
      }),
      RUNS,
    );
  });

  it("path byte → SignatureDoesNotMatch, InvalidURI for a broken escape, ok if it decodes the same", async () => {
    await fc.assert(
      fc.asyncProperty(presignSpecArb, editArb, async (spec, edit) => {
        const p = await presign(spec);
        const parts = splitUrl(p.url);
        const path = replaceOne(parts.path, edit, `${ALNUM}-_.~/%abcdef`);
        const expected = expectedForPath(parts.path, path);
        const got = outcome(await verify(p, { url: joinUrl({ ...parts, path }) }));
        log.add("path", got);
        expect(got).toBe(expected);
      }),
      { ...RUNS, numRuns: 300 },
    );
    expect(log.of("path")).toEqual(expect.arrayContaining(["InvalidURI", "SignatureDoesNotMatch"]));
  });

  it("any query value → the error S3 gives for that parameter", async () => {
    await fc.assert(
      fc.asyncProperty(presignSpecArb, fc.nat(), editArb, async (spec, which, edit) => {
        const p = await presign(spec);
        const parts = splitUrl(p.url);
        const candidates = parts.query.map((_, i) => i).filter((i) => parts.query[i]![1] !== "");
        const i = candidates[which % candidates.length]!;
        const [name, value] = parts.query[i]!;
        const changed = replaceOne(value, edit, ANY_CHAR);
        const query = parts.query.map((pair, j): [string, string] => (j === i ? [name, changed] : pair));
        const got = outcome(await verify(p, { url: joinUrl({ ...parts, query }) }));
        log.add("query", got);
        expect(got, `${name}: ${value} → ${changed}`).toBe(expectedForQuery(p, name, changed));
      }),
      { ...RUNS, numRuns: 300 },
    );
    expect(log.of("query")).toEqual([
      "AccessDenied",
      "AuthorizationQueryParametersError",
      "InvalidAccessKeyId",
      "InvalidToken",
      "SignatureDoesNotMatch",
    ]);
  });

  it("X-Amz-Date → malformed, out of window, or SignatureDoesNotMatch", async () => {
    await fc.assert(
      fc.asyncProperty(presignSpecArb, editArb, async (spec, edit) => {
        const p = await presign(spec);
        const parts = splitUrl(p.url);
        const query = editValue(parts.query, "X-Amz-Date", (v) => replaceOne(v, edit, "0123456789TZ"));
        const changed = query.find(([k]) => k === "X-Amz-Date")![1];
        const r = await verify(p, { url: joinUrl({ ...parts, query }) });
        log.add("date", outcome(r));
        expect(outcome(r)).toBe(expectedForQuery(p, "X-Amz-Date", changed));
        if (!r.ok && r.error.code === "AccessDenied") {
          expect(["Request has expired", "Request is not valid yet"]).toContain(r.error.message);
        }
      }),
      { ...RUNS, numRuns: 300 },
    );
    expect(log.of("date")).toEqual([
      "AccessDenied",
      "AuthorizationQueryParametersError",
      "SignatureDoesNotMatch",
    ]);
  });

  it("X-Amz-Signature → SignatureDoesNotMatch with the provided signature echoed", async () => {
    await fc.assert(
      fc.asyncProperty(presignSpecArb, editArb, async (spec, edit) => {
        const p = await presign(spec);
        const parts = splitUrl(p.url);
        const sig = replaceOne(p.signed.signature, edit, "0123456789abcdefABCDEFg");
        const query = editValue(parts.query, "X-Amz-Signature", () => sig);
        const f = failureOf(await verify(p, { url: joinUrl({ ...parts, query }) }));
        expect(f.code).toBe("SignatureDoesNotMatch");
        expect(f.status).toBe(403);
        expect(detail(f, "SignatureProvided")).toBe(sig);
        expect(detail(f, "CanonicalRequest")).toBe(p.signed.canonicalRequest);
        expect(detail(f, "StringToSign")).toBe(p.signed.stringToSign);
      }),
      RUNS,
    );
  });

  it("any signed header value (host included) → SignatureDoesNotMatch", async () => {
    await fc.assert(
      fc.asyncProperty(presignSpecArb, fc.nat(), editArb, async (spec, which, edit) => {
        const p = await presign(spec);
        const candidates = p.headers.map((_, i) => i).filter((i) => p.headers[i]![1] !== "");
        const i = candidates[which % candidates.length]!;
        const headers = p.headers.map(([n, v], j): [string, string] => [
          n,
          j === i ? replaceOne(v, edit, VISIBLE) : v,
        ]);
        expect(outcome(await verify(p, { headers }))).toBe("SignatureDoesNotMatch");
      }),
      RUNS,
    );
  });
});
