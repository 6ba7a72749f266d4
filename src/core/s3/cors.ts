import { children, childText, singleChildText, type XmlElement } from "./xml-read.js";

/** The methods S3 allows in a CORS rule. */
export const S3_CORS_METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD"] as const;
export type S3CorsMethod = (typeof S3_CORS_METHODS)[number];

/** One rule of a bucket's CORS configuration (PutBucketCors / GetBucketCors). */
export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: S3CorsMethod[];
  allowedHeaders?: string[];
  exposeHeaders?: string[];
  maxAgeSeconds?: number;
}

/** S3's limit on the rules of one configuration. */
export const MAX_CORS_RULES = 100;

/** Elements that repeat in a CORSConfiguration: list them in parseXml's `arrays`. */
export const CORS_ARRAYS = ["CORSRule", "AllowedOrigin", "AllowedMethod", "AllowedHeader", "ExposeHeader"];

/** A configuration outside S3's schema, with the code S3 answers it with (and S3's wording where it has one). */
export class CorsConfigError extends Error {
  constructor(
    readonly code: "MalformedXML" | "InvalidRequest" | "InvalidArgument",
    message: string,
  ) {
    super(message);
    this.name = "CorsConfigError";
  }
}

const RULE_ELEMENTS = new Set([
  "ID",
  "AllowedOrigin",
  "AllowedMethod",
  "AllowedHeader",
  "ExposeHeader",
  "MaxAgeSeconds",
]);

const malformed = (why: string) => new CorsConfigError("MalformedXML", why);

function isMethod(value: string): value is S3CorsMethod {
  return (S3_CORS_METHODS as readonly string[]).includes(value);
}

/** Origins and allowed headers may hold one "*" wildcard. */
function checkWildcards(element: string, values: string[]): void {
  for (const value of values) {
    if (value === "") throw malformed(`an empty ${element}`);
    if (value.indexOf("*") !== value.lastIndexOf("*")) {
      throw new CorsConfigError(
        "InvalidRequest",
        `${element} "${value}" can not have more than one wildcard.`,
      );
    }
  }
}

function readRule(rule: XmlElement, strict: boolean): CorsRule {
  if (typeof rule === "string") throw malformed("a CORSRule without elements");
  if (strict) {
    for (const name of Object.keys(rule)) {
      if (!RULE_ELEMENTS.has(name)) throw malformed(`<${name}> is not an element of a CORSRule`);
    }
  }
  // An element where text belongs is malformed in a request, and empty in an answer.
  const texts = (name: string) =>
    children(rule, name).map((value) => {
      if (typeof value === "string") return value.trim();
      if (strict) throw malformed(`<${name}> holds elements`);
      return "";
    });
  const allowedOrigins = texts("AllowedOrigin");
  const methods = texts("AllowedMethod");
  if (strict) {
    if (allowedOrigins.length === 0 || methods.length === 0) {
      throw malformed("a CORSRule needs an AllowedOrigin and an AllowedMethod");
    }
    const unsupported = methods.find((method) => !isMethod(method));
    if (unsupported !== undefined) {
      throw new CorsConfigError(
        "InvalidRequest",
        `Found unsupported HTTP method in CORS config. Unsupported method is ${unsupported}`,
      );
    }
  }
  const allowedHeaders = texts("AllowedHeader");
  if (strict) {
    checkWildcards("AllowedOrigin", allowedOrigins);
    checkWildcards("AllowedHeader", allowedHeaders);
  }
  const exposeHeaders = texts("ExposeHeader");
  if (strict && exposeHeaders.includes("")) throw malformed("an empty ExposeHeader");
  const out: CorsRule = { allowedOrigins, allowedMethods: methods.filter(isMethod) };
  if (allowedHeaders.length > 0) out.allowedHeaders = allowedHeaders;
  if (exposeHeaders.length > 0) out.exposeHeaders = exposeHeaders;
  const text = strict ? singleChildText : childText;
  const id = text(rule, "ID")?.trim();
  if (id !== undefined && id !== "") {
    if (strict && id.length > 255) {
      throw new CorsConfigError("InvalidArgument", "The ID of a CORS rule is limited to 255 characters.");
    }
    out.id = id;
  }
  const maxAge = text(rule, "MaxAgeSeconds")?.trim();
  if (maxAge !== undefined && maxAge !== "") {
    if (!/^\d{1,10}$/.test(maxAge) || Number(maxAge) > 2_147_483_647) {
      throw malformed(`MaxAgeSeconds ${JSON.stringify(maxAge.slice(0, 20))} is not a number of seconds`);
    }
    out.maxAgeSeconds = Number(maxAge);
  }
  return out;
}

/**
 * The rules of a parsed `<CORSConfiguration>` (parsed with CORS_ARRAYS), values trimmed, allowed
 * and exposed headers only when there are some. `strict` reads a PutBucketCors request as S3 does:
 * anything outside the schema is CorsConfigError MalformedXML; an unsupported method, a second
 * wildcard or more than 100 rules InvalidRequest; a long ID InvalidArgument. Not strict reads
 * storage's answer: elements and methods it does not know are skipped (a newer or other S3 may
 * add them), and only a MaxAgeSeconds that is not a number is refused.
 */
export function readCorsConfiguration(root: XmlElement, { strict }: { strict: boolean }): CorsRule[] {
  if (typeof root === "string") {
    if (strict) throw malformed("a CORSConfiguration without rules");
    return [];
  }
  if (strict) {
    for (const name of Object.keys(root)) {
      if (name !== "CORSRule") throw malformed(`<${name}> is not an element of a CORSConfiguration`);
    }
  }
  const rules = children(root, "CORSRule");
  if (strict && rules.length === 0) throw malformed("a CORSConfiguration without rules");
  if (strict && rules.length > MAX_CORS_RULES) {
    throw new CorsConfigError(
      "InvalidRequest",
      "The number of CORS rules should not exceed allowed limit of 100 rules.",
    );
  }
  return rules.map((rule) => readRule(rule, strict));
}
