import { describe, it } from "vitest";
import { verifyPostPolicy } from "../../src/core/sigv4/verify-post.js";
import { decodePolicy, policyScope } from "./check-s3-examples.js";
import { exampleVerifyOptions, expectMismatch, expectOk, flip } from "./tamper.js";
import { loadS3DocExamples } from "./vectors.js";

const ex = loadS3DocExamples();

/** The browser form the example policy allows: each eq condition's value, each prefix plus a suffix. */
function formFor(conditions: unknown[]): { bucket: string; fields: Array<[string, string]> } {
  let bucket = "";
  const fields: Array<[string, string]> = [];
  for (const c of conditions) {
    if (Array.isArray(c)) {
      fields.push([String(c[1]).slice(1), `${c[2]}example`]);
    } else {
      const [field, value] = Object.entries(c as Record<string, string>)[0]!;
      if (field === "bucket") bucket = value;
      else fields.push([field, value]);
    }
  }
  return { bucket, fields };
}

describe("POST policy example through verifyPostPolicy", () => {
  const { policyBase64, signature } = ex.postPolicy;
  const { bucket, fields } = formFor(decodePolicy(policyBase64).conditions);
  const amzDate = fields.find(([n]) => n === "x-amz-date")?.[1] ?? "";
  const verify = (policyText: string, sig: string) =>
    verifyPostPolicy(
      { fields: [...fields, ["Policy", policyText], ["X-Amz-Signature", sig]], bucket },
      exampleVerifyOptions(ex, policyScope(ex).region, amzDate),
    );

  it("the doc's form verifies", async () => {
    expectOk(await verify(policyBase64, signature));
  });

  it("one changed byte of the policy is SignatureDoesNotMatch", async () => {
    expectMismatch(await verify(flip(policyBase64, 10), signature));
  });

  it("one changed byte of the signature is SignatureDoesNotMatch", async () => {
    expectMismatch(await verify(policyBase64, flip(signature, -1)));
  });
});
