import { describe, expect, it } from "vitest";
import * as core from "./index.js";

describe("upgate (core entry point)", () => {
  it("exports the upload-policy functions next to the signer and the error table", () => {
    for (const name of [
      "checkFiles",
      "chooseStrategy",
      "planParts",
      "renderKey",
      "validateKeyTemplate",
      "randomId",
      "parseSize",
      "formatSize",
      "parseDuration",
      "validMimeType",
      "typeMatches",
      "extensionForType",
      "describeTypes",
      "presignUrl",
      "UpgateError",
    ]) {
      expect(typeof (core as Record<string, unknown>)[name], name).toBe("function");
    }
    expect(core.DEFAULT_KEY_TEMPLATE).toBe("{route}/{userId}/{random}{ext}");
    expect(core.ERROR_CODES.POLICY_TOO_LARGE.status).toBe(413);
  });
});
