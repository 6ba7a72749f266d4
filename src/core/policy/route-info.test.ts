import { describe, expect, it } from "vitest";
import type { RoutePolicy } from "./route.js";
import { routeInfo } from "./route-info.js";
import { routeTypeInfo } from "./route-types.js";

const policy: RoutePolicy = {
  name: "docs",
  label: "Documents",
  types: ["application/pdf", "image/*", "application/x-thing"],
  maxSize: 10 * 1024 * 1024,
  minSize: 1,
  maxFiles: 3,
  expiresIn: 120,
  checksum: "required",
  checksumAlgorithm: "crc64nvme",
  strategy: "auto",
  multipartThreshold: 64 * 1024 * 1024,
  partSize: 8 * 1024 * 1024,
  sniff: true,
  public: false,
  keyTemplate: "secret/{userId}/{random}{ext}",
};

describe("routeTypeInfo", () => {
  it("labels exact types from the table and lists their extensions", () => {
    expect(routeTypeInfo("image/jpeg")).toEqual({
      type: "image/jpeg",
      label: "JPEG",
      extensions: [".jpg", ".jpeg", ".jpe"],
    });
    expect(routeTypeInfo("application/vnd.openxmlformats-officedocument.wordprocessingml.document")).toEqual(
      expect.objectContaining({ label: "Word (.docx)", extensions: [".docx"] }),
    );
  });

  it("a family lists every extension of the table's types in it; any file lists none", () => {
    const images = routeTypeInfo("image/*");
    expect(images.label).toBe("Any image");
    expect(images.extensions).toEqual(expect.arrayContaining([".png", ".jpg", ".jpeg", ".webp", ".heic"]));
    expect(images.extensions.every((ext) => ext.startsWith("."))).toBe(true);
    expect(images.extensions).not.toContain(".pdf");
    expect(new Set(images.extensions).size).toBe(images.extensions.length);
    expect(routeTypeInfo("*/*")).toEqual({ type: "*/*", label: "Any file", extensions: [] });
    expect(routeTypeInfo("model/*")).toEqual({ type: "model/*", label: "Any model type", extensions: [] });
  });

  it("shows an unknown type as itself, with no extensions", () => {
    expect(routeTypeInfo("application/x-thing")).toEqual({
      type: "application/x-thing",
      label: "application/x-thing",
      extensions: [],
    });
  });
});

describe("routeInfo", () => {
  it("shows the route's rules in the wire shape, and nothing of its key template", () => {
    const info = routeInfo(policy);
    expect(info).toEqual({
      name: "docs",
      label: "Documents",
      types: policy.types.map(routeTypeInfo),
      maxSize: 10 * 1024 * 1024,
      minSize: 1,
      maxFiles: 3,
      strategy: "auto",
      multipartThreshold: 64 * 1024 * 1024,
      partSize: 8 * 1024 * 1024,
      checksum: { mode: "required", algorithm: "crc64nvme" },
      urlLifetime: 120,
      public: false,
    });
    expect(JSON.stringify(info)).not.toContain("secret/");
  });

  it("lists the route's checksum algorithm", () => {
    expect(routeInfo({ ...policy, checksumAlgorithm: "crc32c" }).checksum.algorithm).toBe("crc32c");
    expect(routeInfo({ ...policy, checksumAlgorithm: "sha256" }).checksum.algorithm).toBe("sha256");
  });
});
