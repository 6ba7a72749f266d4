import { describe, expect, it } from "vitest";
import { checkBotocoreCase } from "./check-botocore.js";
import { botocoreCaseNames, loadBotocoreCase } from "./vectors.js";

const names = botocoreCaseNames();

describe("botocore aws4_testsuite", () => {
  it("has all 34 cases, normalize-path/ and post-sts-token/ included", () => {
    expect(names).toHaveLength(34);
    expect(names.filter((n) => n.startsWith("normalize-path/"))).toHaveLength(8);
    expect(names.filter((n) => n.startsWith("post-sts-token/"))).toHaveLength(2);
  });

  it.each(names)("%s", async (name) => {
    await checkBotocoreCase(loadBotocoreCase(name));
  });
});
