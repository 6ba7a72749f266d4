import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CORS_ARRAYS, CorsConfigError, type CorsRule, readCorsConfiguration } from "./cors.js";
import { putBucketCors } from "./requests.js";
import { parseXml } from "./xml-read.js";

const root = (text: string) => parseXml(text, { arrays: CORS_ARRAYS }).element;
const config = (rules: string) => root(`<CORSConfiguration>${rules}</CORSConfiguration>`);
const strict = (rules: string) => readCorsConfiguration(config(rules), { strict: true });
const lenient = (rules: string) => readCorsConfiguration(config(rules), { strict: false });

function refusal(read: () => unknown): { code: string; message: string } {
  try {
    read();
  } catch (err) {
    if (err instanceof CorsConfigError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error("not refused");
}

describe("readCorsConfiguration", () => {
  it("reads every element of a rule, values trimmed, headers only when there are some", () => {
    const rule =
      "<CORSRule><ID> up </ID><AllowedOrigin> https://a.example </AllowedOrigin><AllowedOrigin>*</AllowedOrigin>" +
      "<AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>x-amz-*</AllowedHeader>" +
      "<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>";
    const expected: CorsRule = {
      id: "up",
      allowedOrigins: ["https://a.example", "*"],
      allowedMethods: ["PUT", "GET"],
      allowedHeaders: ["x-amz-*"],
      exposeHeaders: ["ETag"],
      maxAgeSeconds: 3000,
    };
    expect(strict(rule)).toEqual([expected]);
    expect(lenient(rule)).toEqual([expected]);
    expect(
      strict("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>"),
    ).toEqual([{ allowedOrigins: ["*"], allowedMethods: ["GET"] }]);
  });

  it.each([
    ["no rules", "", "MalformedXML"],
    ["an unknown element beside the rules", "<Other/>", "MalformedXML"],
    ["a rule without origins", "<CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>", "MalformedXML"],
    ["a rule without methods", "<CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule>", "MalformedXML"],
    [
      "an unknown element in a rule",
      "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><Max>1</Max></CORSRule>",
      "MalformedXML",
    ],
    [
      "an element where text belongs",
      "<CORSRule><AllowedOrigin><a/></AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>",
      "MalformedXML",
    ],
    [
      "an empty origin",
      "<CORSRule><AllowedOrigin> </AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>",
      "MalformedXML",
    ],
    [
      "an empty ExposeHeader",
      "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader/></CORSRule>",
      "MalformedXML",
    ],
    [
      "a MaxAgeSeconds that is not a number",
      "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>-1</MaxAgeSeconds></CORSRule>",
      "MalformedXML",
    ],
    [
      "a MaxAgeSeconds past 2^31-1",
      "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>2147483648</MaxAgeSeconds></CORSRule>",
      "MalformedXML",
    ],
    [
      "an unsupported method",
      "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule>",
      "InvalidRequest",
    ],
    [
      "two wildcards in an origin",
      "<CORSRule><AllowedOrigin>*.*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>",
      "InvalidRequest",
    ],
    [
      "two wildcards in a header",
      "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>**</AllowedHeader></CORSRule>",
      "InvalidRequest",
    ],
    [
      "an ID over 255 characters",
      `<CORSRule><ID>${"i".repeat(256)}</ID><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>`,
      "InvalidArgument",
    ],
  ])("refuses %s in a request as %s", (_what, rules, code) => {
    expect(refusal(() => strict(rules)).code).toBe(code);
  });

  it("uses S3's wording for what S3 words", () => {
    const rule = "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>";
    expect(refusal(() => strict(rule.repeat(101))).message).toBe(
      "The number of CORS rules should not exceed allowed limit of 100 rules.",
    );
    expect(strict(rule.repeat(100))).toHaveLength(100);
    expect(
      refusal(() =>
        strict("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule>"),
      ).message,
    ).toBe("Found unsupported HTTP method in CORS config. Unsupported method is PATCH");
  });

  it("checks the method before the headers, as S3 does", () => {
    const rule =
      "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod><AllowedHeader><a/></AllowedHeader></CORSRule>";
    expect(refusal(() => strict(rule)).code).toBe("InvalidRequest");
  });

  it("refuses a repeated ID in a request, and reads the first in an answer", () => {
    const rule =
      "<CORSRule><ID>a</ID><ID>b</ID><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>";
    expect(() => strict(rule)).toThrow(/<ID> is repeated/);
    expect(lenient(rule)[0]?.id).toBe("a");
  });

  it("reads an answer leniently: unknown elements and methods skipped, no schema checks", () => {
    const rules = lenient(
      "<CORSRule><AllowedOrigin>*.*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod><AllowedMethod>PUT</AllowedMethod>" +
        "<AllowedHeader><x/></AllowedHeader><Future>1</Future></CORSRule><Other/>",
    );
    expect(rules).toEqual([{ allowedOrigins: ["*.*"], allowedMethods: ["PUT"], allowedHeaders: [""] }]);
    expect(readCorsConfiguration(root("<CORSConfiguration/>"), { strict: false })).toEqual([]);
    expect(() => readCorsConfiguration(root("<CORSConfiguration/>"), { strict: true })).toThrow(
      CorsConfigError,
    );
    expect(
      refusal(() =>
        lenient(
          "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule>",
        ),
      ).code,
    ).toBe("MalformedXML");
  });

  it("reads back what putBucketCors writes, in both modes", () => {
    const token = fc
      .stringMatching(/^[A-Za-z0-9.:/-]{0,10}\*?[A-Za-z0-9.:/-]{0,10}$/)
      .filter((t) => t !== "");
    const ruleArb: fc.Arbitrary<CorsRule> = fc.record(
      {
        id: fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9 _&<-]{0,20}[A-Za-z0-9])?$/),
        allowedOrigins: fc.array(token, { minLength: 1, maxLength: 3 }),
        allowedMethods: fc.uniqueArray(fc.constantFrom("GET", "PUT", "POST", "DELETE", "HEAD"), {
          minLength: 1,
        }),
        allowedHeaders: fc.array(token, { minLength: 1, maxLength: 3 }),
        exposeHeaders: fc.array(fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/), { minLength: 1, maxLength: 3 }),
        maxAgeSeconds: fc.integer({ min: 0, max: 2_147_483_647 }),
      },
      { requiredKeys: ["allowedOrigins", "allowedMethods"] },
    );
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 5 }), (rules) => {
        const body = putBucketCors("b", rules).body as string;
        expect(readCorsConfiguration(root(body), { strict: true })).toEqual(rules);
        expect(readCorsConfiguration(root(body), { strict: false })).toEqual(rules);
      }),
      { numRuns: 300 },
    );
  });
});
