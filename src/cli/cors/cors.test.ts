import { describe, expect, it } from "vitest";
import type { CorsRule } from "../../core/s3/cors.js";
import { resolveRoute } from "../../server/config/route.js";
import { diffLines, ruleLines } from "./diff.js";
import { corsProblems } from "./evaluate.js";
import { mergeRules, requiredHeaders, requiredMethods, SIGNED_HEADERS, upgateRule } from "./rules.js";

const route = (extra: Record<string, unknown> = {}) =>
  resolveRoute("r", { types: ["image/png"], maxSize: 1024, ...extra } as Parameters<typeof resolveRoute>[1]);

describe("the CORS rule the routes need", () => {
  it("allows the signed headers, adds x-amz-meta-* only for route metadata, POST only for post routes", () => {
    const plain = new Map([["r", route()]]);
    expect(requiredHeaders(plain)).toEqual([...SIGNED_HEADERS]);
    expect(requiredHeaders(new Map([["r", route({ metadata: () => ({}) })]]))).toContain("x-amz-meta-*");
    expect(requiredHeaders(plain, ["X-Amz-Meta-Album", "content-type"])).toEqual([
      ...SIGNED_HEADERS,
      "x-amz-meta-album",
    ]);
    expect(requiredMethods(plain)).toEqual(["PUT", "GET", "HEAD"]);
    expect(requiredMethods(new Map([["r", route({ strategy: "post" })]]))).toContain("POST");
  });

  it("allows x-amz-acl only when storage.acl signs it, so buckets set up without it need no change", () => {
    const plain = new Map([["r", route()]]);
    expect(requiredHeaders(plain, [], {})).not.toContain("x-amz-acl");
    const withAcl = requiredHeaders(plain, [], { acl: "private" });
    expect(withAcl).toEqual([...SIGNED_HEADERS, "x-amz-acl"]);
    const ours = upgateRule(["https://a.example"], SIGNED_HEADERS, 600);
    expect(corsProblems([ours], ["https://a.example"], ["PUT"], withAcl)).toEqual([
      "PUT from https://a.example may not send x-amz-acl",
    ]);
  });

  it("allows a CRC route's x-amz-checksum-<algorithm>, only when a route checksums with it", () => {
    const crc64 = route({ checksum: { algorithm: "crc64nvme" } });
    const crc32c = route({ checksum: { mode: "required", algorithm: "crc32c" } });
    expect(requiredHeaders(new Map([["r", route()]]))).toEqual([...SIGNED_HEADERS]);
    expect(requiredHeaders(new Map([["a", crc64]]))).toEqual([...SIGNED_HEADERS, "x-amz-checksum-crc64nvme"]);
    expect(
      requiredHeaders(
        new Map([
          ["a", crc64],
          ["b", crc32c],
          ["c", route({ checksum: { algorithm: "crc64nvme" } })],
        ]),
      ),
    ).toEqual([...SIGNED_HEADERS, "x-amz-checksum-crc64nvme", "x-amz-checksum-crc32c"]);
  });

  it("puts its rule first and keeps other owners' rules", () => {
    const ours = upgateRule(["https://a.example"], SIGNED_HEADERS, 600);
    const other: CorsRule = { id: "cdn", allowedOrigins: ["*"], allowedMethods: ["GET"] };
    const stale: CorsRule = { ...ours, allowedOrigins: ["https://old.example"] };
    expect(mergeRules([other, stale], ours)).toEqual([ours, other]);
    expect(mergeRules(undefined, ours)).toEqual([ours]);
  });

  it("finds what a bucket's rules refuse, evaluated as S3 does (first matching rule wins)", () => {
    const ours = upgateRule(["https://a.example"], SIGNED_HEADERS, 600);
    expect(corsProblems([ours], ["https://a.example"], ["PUT", "GET", "HEAD"], SIGNED_HEADERS)).toEqual([]);
    expect(corsProblems(undefined, ["https://a.example"], ["PUT"], SIGNED_HEADERS)).toEqual([
      "PUT from https://a.example is not allowed",
    ]);
    expect(corsProblems([ours], ["https://b.example"], ["GET"], SIGNED_HEADERS)).toEqual([
      "GET from https://b.example is not allowed",
    ]);
    // An earlier broad rule without ETag hides ours for real requests.
    const broad: CorsRule = { allowedOrigins: ["*"], allowedMethods: ["PUT"], allowedHeaders: ["*"] };
    expect(corsProblems([broad, ours], ["https://a.example"], ["PUT"], SIGNED_HEADERS)).toEqual([
      "PUT from https://a.example does not expose ETag",
    ]);
    expect(corsProblems([ours], "*", ["PUT"], SIGNED_HEADERS)).toEqual([
      "PUT from any origin is not allowed",
    ]);
  });

  it("diffs rules line by line", () => {
    const before = ruleLines({ id: "upgate", allowedOrigins: ["https://a"], allowedMethods: ["GET"] });
    const after = ruleLines({
      id: "upgate",
      allowedOrigins: ["https://b"],
      allowedMethods: ["GET"],
      exposeHeaders: ["ETag"],
    });
    expect(diffLines(before, after)).toEqual([
      "  CORSRule upgate",
      "-   AllowedOrigin https://a",
      "+   AllowedOrigin https://b",
      "    AllowedMethod GET",
      "+   ExposeHeader ETag",
    ]);
  });
});
