import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEFAULT_KEY_TEMPLATE } from "./keys.js";
import { checkFiles, type RoutePolicy } from "./route.js";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const SHA = createHash("sha256").update("photo").digest("base64");

const images: RoutePolicy = {
  name: "images",
  label: "Images",
  types: ["image/png", "image/jpeg", "image/webp", "image/gif"],
  maxSize: 10 * MiB,
  minSize: 1,
  maxFiles: 3,
  expiresIn: 300,
  checksum: "optional",
  checksumAlgorithm: "sha256",
  strategy: "auto",
  multipartThreshold: 64 * MiB,
  partSize: 8 * MiB,
  sniff: true,
  public: false,
  keyTemplate: DEFAULT_KEY_TEMPLATE,
};

const png = { name: "photo.png", type: "image/png", size: 1000 };

describe("checkFiles: the request", () => {
  it("accepts valid files and returns them normalized, in order", () => {
    const result = checkFiles(images, [
      png,
      { name: "b.jpg", type: "IMAGE/JPEG; q=1", size: 10 * MiB, sha256: SHA, metadata: { album: "x" } },
    ]);
    expect(result.problems).toEqual([]);
    expect(result.files).toEqual([
      { name: "photo.png", type: "image/png", size: 1000 },
      { name: "b.jpg", type: "image/jpeg", size: 10 * MiB, sha256: SHA, metadata: { album: "x" } },
    ]);
  });

  it.each([
    ["not a list", { name: "a" }, "must be a list"],
    ["null", null, "must be a list"],
    ["an empty list", [], "at least one file"],
  ])("refuses files that are %s as a whole (index -1)", (_what, files, why) => {
    const { files: ok, problems } = checkFiles(images, files);
    expect(ok).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ index: -1, name: "", code: "VALIDATION_FAILED" });
    expect(problems[0]!.message).toContain(why);
  });

  it("refuses more files than maxFiles without looking at them", () => {
    const { problems } = checkFiles(images, [png, png, png, "garbage"]);
    expect(problems).toEqual([
      {
        index: -1,
        name: "",
        code: "POLICY_TOO_MANY_FILES",
        message: "4 files declared; Images accepts at most 3 files per request",
        details: { count: 4, maxFiles: 3 },
      },
    ]);
    expect(checkFiles({ ...images, maxFiles: 1 }, [png, png]).problems[0]!.message).toContain(
      "at most 1 file per",
    );
    expect(checkFiles(images, [png, png, png]).problems).toEqual([]);
  });

  it("reports every problem of every file, with its index and name", () => {
    const { problems } = checkFiles(images, [
      png,
      { name: "photo.heic", type: "image/heic", size: 20 * MiB },
      { name: "", type: "text/html", size: -1 },
    ]);
    expect(problems.map((p) => [p.index, p.name, p.code])).toEqual([
      [1, "photo.heic", "POLICY_TYPE_NOT_ALLOWED"],
      [1, "photo.heic", "POLICY_TOO_LARGE"],
      [2, "", "VALIDATION_FAILED"],
      [2, "", "POLICY_TYPE_NOT_ALLOWED"],
      [2, "", "VALIDATION_FAILED"],
    ]);
    expect(problems[2]!.message).toBe("file 3 needs a name");
  });
});

describe("checkFiles: each file", () => {
  const one = (file: unknown, route: RoutePolicy = images) => checkFiles(route, [file]).problems;

  it("says which type is not allowed, in words", () => {
    expect(one({ ...png, name: "photo.heic", type: "image/heic" })).toEqual([
      {
        index: 0,
        name: "photo.heic",
        code: "POLICY_TYPE_NOT_ALLOWED",
        message: "photo.heic is HEIC, not an allowed type for Images (allowed: PNG, JPEG, WebP, GIF)",
        details: { type: "image/heic", allowed: images.types },
      },
    ]);
    expect(one({ ...png, type: "image/heic" }, { ...images, types: ["image/*"] })).toEqual([]);
  });

  it("refuses sizes over maxSize with 413's code and both sizes in the message", () => {
    expect(one({ ...png, size: 12 * MiB })).toEqual([
      {
        index: 0,
        name: "photo.png",
        code: "POLICY_TOO_LARGE",
        message: "photo.png is too large: 12 MB, limit 10 MB",
        details: { size: 12 * MiB, maxSize: 10 * MiB },
      },
    ]);
    expect(one({ ...png, size: 10 * MiB + 1 })[0]!.message).toBe(
      "photo.png is too large: 10485761 bytes, limit 10485760 bytes",
    );
  });

  it("refuses sizes under minSize", () => {
    const [p] = one({ ...png, size: 0 });
    expect(p).toMatchObject({
      code: "POLICY_TOO_SMALL",
      message: "photo.png is too small: 0 B, minimum 1 B",
    });
    expect(one({ ...png, size: 0 }, { ...images, minSize: 0 })).toEqual([]);
  });

  it("refuses more than 5 GiB for a single PUT or POST, but not for multipart", () => {
    const big = { ...images, maxSize: 100 * GiB };
    const file = { ...png, size: 5 * GiB + 1 };
    for (const strategy of ["put", "post"] as const) {
      const [p] = one(file, { ...big, strategy });
      expect(p!.code).toBe("POLICY_TOO_LARGE");
      expect(p!.details).toEqual({ size: 5 * GiB + 1, maxSize: 5 * GiB });
      expect(p!.message).toBe(
        `photo.png is too large: 5368709121 bytes, limit 5368709120 bytes for a single ${strategy.toUpperCase()} upload`,
      );
      expect(one({ ...png, size: 6 * GiB }, { ...big, strategy })[0]!.message).toBe(
        `photo.png is too large: 6 GB, limit 5 GB for a single ${strategy.toUpperCase()} upload`,
      );
      expect(one({ ...png, size: 5 * GiB }, { ...big, strategy })).toEqual([]);
    }
    expect(one(file, { ...big, strategy: "multipart" })).toEqual([]);
    expect(one(file, { ...big, strategy: "auto" })).toEqual([]);
  });

  it("refuses more than S3's 5 TiB object limit for any strategy", () => {
    const huge = { ...images, maxSize: Number.MAX_SAFE_INTEGER, strategy: "multipart" as const };
    expect(one({ ...png, size: 6 * 1024 * GiB }, huge)[0]!.message).toBe(
      "photo.png is too large: 6 TB, limit 5 TB for one object in S3",
    );
    expect(one({ ...png, size: 5 * 1024 * GiB }, huge)).toEqual([]);
  });

  it("requires a sha256 when the route does", () => {
    const route = { ...images, checksum: "required" as const };
    expect(one(png, route)).toEqual([
      {
        index: 0,
        name: "photo.png",
        code: "POLICY_CHECKSUM_REQUIRED",
        message: "photo.png needs a sha256: Images requires the base64 SHA-256 of each file",
        details: { field: "sha256" },
      },
    ]);
    expect(one({ ...png, sha256: SHA }, route)).toEqual([]);
  });

  it.each([
    ["a hex sha256", { sha256: createHash("sha256").update("x").digest("hex") }, "sha256", "not hex"],
    ["a short sha256", { sha256: "abc=" }, "sha256", "44 characters"],
    ["a null sha256", { sha256: null }, "sha256", "base64 SHA-256"],
    ["a missing type", { type: undefined }, "type", "needs a type"],
    ["a type with a header in it", { type: "image/png\r\nx-amz-acl: public-read" }, "type", "invalid type"],
    ["a wildcard type", { type: "image/*" }, "type", "invalid type"],
    ["a numeric type", { type: 7 }, "type", "invalid type"],
    ["a missing size", { size: undefined }, "size", "needs a size"],
    ["a fractional size", { size: 1.5 }, "size", "whole number"],
    ["a negative size", { size: -1 }, "size", "whole number"],
    ["a string size", { size: "1000" }, "size", "whole number"],
    ["an unsafe size", { size: 2 ** 53 }, "size", "whole number"],
    ["a numeric name", { name: 5 }, "name", "name must be a string"],
    ["a long name", { name: "n".repeat(1025) }, "name", "longer than 1024"],
    ["a name with a newline", { name: "a\nb.png" }, "name", "control characters"],
    ["a name with NUL", { name: "a\u0000.png" }, "name", "control characters"],
    ["a name with a lone surrogate", { name: "a\ud800.png" }, "name", "lone surrogate"],
    ["metadata that is not flat", { metadata: { a: { b: "c" } } }, "metadata", "must be a string"],
    ["reserved metadata", { metadata: { "upgate-user": "admin" } }, "metadata", "reserved"],
  ])("refuses %s (VALIDATION_FAILED)", (_what, change, field, why) => {
    const problems = one({ ...png, ...change });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.code).toBe("VALIDATION_FAILED");
    expect(problems[0]!.details).toEqual({ field });
    expect(problems[0]!.message).toContain(why);
  });

  it("refuses unknown fields and files that are not objects", () => {
    const [p] = one({ ...png, path: "../../etc/passwd", acl: "public-read" });
    expect(p).toMatchObject({ code: "VALIDATION_FAILED", details: { fields: ["path", "acl"] } });
    expect(p!.message).toContain('photo.png has unknown fields: "path", "acl"');
    for (const bad of [null, "photo.png", 42, [png]]) {
      expect(one(bad)).toEqual([
        {
          index: 0,
          name: "",
          code: "VALIDATION_FAILED",
          message: 'file 1 must be an object like { "name", "type", "size" }',
        },
      ]);
    }
  });

  it("names accept any Unicode text, spaces and path-like characters (the key never uses them)", () => {
    expect(one({ ...png, name: "ünï cødé 😀/../x.png" })).toEqual([]);
    expect(one({ ...png, name: "n".repeat(1024) })).toEqual([]);
  });

  it("quotes and cuts long client values in messages", () => {
    const [p] = one({ ...png, type: `x${"y".repeat(5000)}` });
    expect(p!.message.length).toBeLessThan(250);
  });
});
