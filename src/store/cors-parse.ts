import type { CorsRule } from "./backend/types.js";
import { S3Error } from "./errors.js";
import { children, childText, parseXml, type XmlElement } from "./xml-parse.js";

export const MAX_CORS_RULES = 100;
export const MAX_CORS_DOCUMENT_BYTES = 64 * 1024;
export const CORS_METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD"] as const;

const RULE_ELEMENTS = new Set([
  "ID",
  "AllowedOrigin",
  "AllowedMethod",
  "AllowedHeader",
  "ExposeHeader",
  "MaxAgeSeconds",
]);
const REPEATED = ["CORSRule", "AllowedOrigin", "AllowedMethod", "AllowedHeader", "ExposeHeader"];

const malformed = () => new S3Error("MalformedXML");

/** The text values of the repeated child `name`; an element with children where text belongs is malformed. */
function texts(rule: XmlElement, name: string): string[] {
  return children(rule, name).map((value) => {
    if (typeof value !== "string") throw malformed();
    return value.trim();
  });
}

/** Origins and allowed headers may hold one "*" wildcard. */
function checkWildcards(element: string, values: string[]): void {
  for (const value of values) {
    if (value === "") throw malformed();
    if (value.indexOf("*") !== value.lastIndexOf("*")) {
      throw new S3Error("InvalidRequest", `${element} "${value}" can not have more than one wildcard.`);
    }
  }
}

function parseRule(rule: XmlElement): CorsRule {
  if (typeof rule === "string") throw malformed();
  for (const name of Object.keys(rule)) if (!RULE_ELEMENTS.has(name)) throw malformed();
  const allowedOrigins = texts(rule, "AllowedOrigin");
  const allowedMethods = texts(rule, "AllowedMethod");
  if (allowedOrigins.length === 0 || allowedMethods.length === 0) throw malformed();
  for (const method of allowedMethods) {
    if (!(CORS_METHODS as readonly string[]).includes(method)) {
      throw new S3Error(
        "InvalidRequest",
        `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`,
      );
    }
  }
  const allowedHeaders = texts(rule, "AllowedHeader");
  checkWildcards("AllowedOrigin", allowedOrigins);
  checkWildcards("AllowedHeader", allowedHeaders);
  const exposeHeaders = texts(rule, "ExposeHeader");
  if (exposeHeaders.includes("")) throw malformed();
  const out: CorsRule = { allowedOrigins, allowedMethods, allowedHeaders, exposeHeaders };
  const id = childText(rule, "ID")?.trim();
  if (id !== undefined && id !== "") {
    if (id.length > 255)
      throw new S3Error("InvalidArgument", "The ID of a CORS rule is limited to 255 characters.");
    out.id = id;
  }
  const maxAge = childText(rule, "MaxAgeSeconds")?.trim();
  if (maxAge !== undefined && maxAge !== "") {
    if (!/^\d{1,10}$/.test(maxAge) || Number(maxAge) > 2_147_483_647) throw malformed();
    out.maxAgeSeconds = Number(maxAge);
  }
  return out;
}

/**
 * A PutBucketCors document as rules: MalformedXML for anything outside S3's schema, InvalidRequest
 * for an unsupported method, more than one wildcard, or more than 100 rules (S3's wording).
 */
export function parseCorsConfiguration(body: Uint8Array): CorsRule[] {
  if (body.length === 0) throw malformed();
  const root = parseXml(body, REPEATED).CORSConfiguration;
  if (root === undefined || typeof root === "string") throw malformed();
  for (const name of Object.keys(root)) if (name !== "CORSRule") throw malformed();
  const rules = children(root, "CORSRule");
  if (rules.length === 0) throw malformed();
  if (rules.length > MAX_CORS_RULES) {
    throw new S3Error(
      "InvalidRequest",
      "The number of CORS rules should not exceed allowed limit of 100 rules.",
    );
  }
  return rules.map(parseRule);
}
