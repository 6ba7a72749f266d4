import { describe, expect, it } from "vitest";
import type { CorsRule } from "./backend/types.js";
import { corsResponseHeaders, matchCorsRule, parseRequestHeaderList } from "./cors.js";

const rules: CorsRule[] = [
  {
    allowedOrigins: ["https://app.example"],
    allowedMethods: ["PUT", "POST"],
    allowedHeaders: ["content-type", "x-amz-*"],
    exposeHeaders: ["ETag"],
    maxAgeSeconds: 600,
  },
  { allowedOrigins: ["https://*.example"], allowedMethods: ["GET"], allowedHeaders: [], exposeHeaders: [] },
  { allowedOrigins: ["*"], allowedMethods: ["HEAD"], allowedHeaders: ["*"], exposeHeaders: [] },
];

describe("matchCorsRule", () => {
  it("takes the first rule matching origin, method and every requested header", () => {
    expect(
      matchCorsRule(rules, "https://app.example", "PUT", ["Content-Type", "x-amz-checksum-sha256"]),
    ).toBe(rules[0]);
    expect(matchCorsRule(rules, "https://cdn.example", "GET")).toBe(rules[1]);
    expect(matchCorsRule(rules, "http://anything", "HEAD", ["x-custom"])).toBe(rules[2]);
  });

  it("refuses an unlisted origin, method or header", () => {
    expect(matchCorsRule(rules, "https://evil.test", "PUT", ["content-type"])).toBeUndefined();
    expect(matchCorsRule(rules, "https://app.example", "DELETE")).toBeUndefined();
    expect(matchCorsRule(rules, "https://app.example", "PUT", ["authorization"])).toBeUndefined();
    expect(matchCorsRule(undefined, "https://app.example", "PUT")).toBeUndefined();
  });

  it("matches origins case-sensitively, headers case-insensitively", () => {
    expect(matchCorsRule(rules, "https://APP.example", "PUT")).toBeUndefined();
    expect(matchCorsRule(rules, "https://app.example", "PUT", ["CONTENT-TYPE"])).toBe(rules[0]);
  });
});

describe("corsResponseHeaders", () => {
  it("echoes the origin with credentials, exposes headers and max age", () => {
    expect(corsResponseHeaders(rules[0]!, "https://app.example", "content-type")).toEqual({
      "access-control-allow-origin": "https://app.example",
      "access-control-allow-methods": "PUT, POST",
      "access-control-allow-credentials": "true",
      "access-control-allow-headers": "content-type",
      "access-control-expose-headers": "ETag",
      "access-control-max-age": "600",
      vary: "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
    });
  });

  it("answers * without credentials for a wildcard rule", () => {
    const headers = corsResponseHeaders(rules[2]!, "http://x");
    expect(headers["access-control-allow-origin"]).toBe("*");
    expect(headers["access-control-allow-credentials"]).toBeUndefined();
    expect(headers["access-control-allow-headers"]).toBeUndefined();
  });

  it("parses a request header list", () => {
    expect(parseRequestHeaderList(" Content-Type , x-amz-meta-a,,")).toEqual([
      "content-type",
      "x-amz-meta-a",
    ]);
    expect(parseRequestHeaderList(undefined)).toEqual([]);
  });
});
