import { describe, expect, it } from "vitest";
import { multipartETag } from "../../src/core/s3/etag.js";
import {
  checkHeaderAuthCase,
  checkPostPolicySignature,
  checkPresignedGet,
  checkSigningKeys,
  HEADER_AUTH_REQUESTS,
} from "./check-s3-examples.js";
import { loadS3DocExamples } from "./vectors.js";

const ex = loadS3DocExamples();
const headerCases = ex.headerAuth.cases.map((c) => c.name);

describe("S3 API reference worked examples (s3-docs-examples.json)", () => {
  it("signing key for the example day, region and service", async () => {
    await checkSigningKeys(ex);
  });

  it("presigned GET: canonical request, string to sign, signature and the exact URL", async () => {
    await checkPresignedGet(ex);
  });

  it("every header-auth example has its request described here", () => {
    expect(headerCases).toHaveLength(4);
    expect(Object.keys(HEADER_AUTH_REQUESTS).sort()).toEqual([...headerCases].sort());
  });

  it.each(headerCases)("header auth: %s", async (name) => {
    await checkHeaderAuthCase(ex, name);
  });

  it("POST policy: HMAC of the base64 policy with the policy day's signing key", async () => {
    await checkPostPolicySignature(ex);
  });

  it("multipart ETag: md5 of the parts' binary md5s, then the part count", () => {
    expect(multipartETag(ex.multipartEtag.partEtags)).toBe(ex.multipartEtag.objectEtag);
    const quoted = ex.multipartEtag.partEtags.map((e) => `"${e}"`);
    expect(multipartETag(quoted)).toBe(ex.multipartEtag.objectEtag);
  });
});
