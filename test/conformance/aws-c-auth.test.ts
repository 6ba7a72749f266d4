import { describe, expect, it } from "vitest";
import { checkHeaderSigning, checkQuerySigning } from "./check-aws-c-auth.js";
import { awsCAuthCaseNames, loadAwsCAuthCase } from "./vectors.js";

const names = awsCAuthCaseNames();

describe("aws-c-auth aws-signing-test-suite/v4", () => {
  it("has all 38 cases", () => {
    expect(names).toHaveLength(38);
  });

  it.each(names)("%s: header signing", async (name) => {
    await checkHeaderSigning(loadAwsCAuthCase(name));
  });

  it.each(names)("%s: query signing", async (name) => {
    await checkQuerySigning(loadAwsCAuthCase(name));
  });
});
