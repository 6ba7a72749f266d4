import { describe, expect, it } from "vitest";
import { UpgateError } from "../../core/errors.js";
import { defineConfig } from "./define.js";
import { resolveConfig } from "./resolve.js";
import type { RouteConfig, UpgateConfig } from "./types.js";

const config = (checksum: unknown): UpgateConfig =>
  defineConfig({
    storage: {
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
      bucket: "uploads",
      credentials: { accessKeyId: "AKID", secretAccessKey: "storage-secret-value" },
      forcePathStyle: true,
    },
    auth: { jwt: { secret: "a-jwt-secret-that-is-long-enough-0123" } },
    routes: { files: { types: ["*/*"], maxSize: "10MB", checksum: checksum as RouteConfig["checksum"] } },
    logger: { level: "silent" },
  });

const policyOf = (checksum: unknown) => {
  const { policy } = resolveConfig(config(checksum)).routes.get("files")!;
  return { checksum: policy.checksum, checksumAlgorithm: policy.checksumAlgorithm };
};

describe("a route's checksum setting", () => {
  it.each([
    [undefined, "optional", "sha256"],
    ["required", "required", "sha256"],
    [{}, "optional", "sha256"],
    [{ algorithm: "crc64nvme" }, "optional", "crc64nvme"],
    [{ mode: "required", algorithm: "crc32c" }, "required", "crc32c"],
    [{ mode: "required" }, "required", "sha256"],
  ])("%j is mode %s with %s", (checksum, mode, algorithm) => {
    expect(policyOf(checksum)).toEqual({ checksum: mode, checksumAlgorithm: algorithm });
  });

  it.each([[{ algorithm: "crc32" }], [{ algorithm: "md5" }], [{ mode: "always" }], ["sha256"]])(
    "refuses %j, saying what it accepts",
    (checksum) => {
      let error: unknown;
      try {
        resolveConfig(config(checksum));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(UpgateError);
      expect((error as UpgateError).code).toBe("CONFIG_INVALID");
      expect((error as UpgateError).details).toEqual({
        problems: [
          {
            path: "routes.files.checksum",
            message:
              'must be "required", "optional" or { mode?: "required" | "optional", algorithm?: "sha256" | "crc64nvme" | "crc32c" }',
          },
        ],
      });
    },
  );

  it("refuses an unknown key in the object form, naming it", () => {
    expect(() => resolveConfig(config({ algorithm: "sha256", extra: 1 }))).toThrow(/extra/);
  });
});
