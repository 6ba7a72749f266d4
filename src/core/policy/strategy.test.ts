import { describe, expect, it } from "vitest";
import { DEFAULT_KEY_TEMPLATE } from "./keys.js";
import type { RoutePolicy } from "./route.js";
import { chooseStrategy } from "./strategy.js";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const route = (strategy: RoutePolicy["strategy"], multipartThreshold = 64 * MiB): RoutePolicy => ({
  name: "files",
  label: "Files",
  types: ["*/*"],
  maxSize: 5 * 1024 * GiB,
  minSize: 0,
  maxFiles: 1,
  expiresIn: 300,
  checksum: "optional",
  checksumAlgorithm: "sha256",
  strategy,
  multipartThreshold,
  partSize: 8 * MiB,
  sniff: false,
  public: false,
  keyTemplate: DEFAULT_KEY_TEMPLATE,
});

describe("chooseStrategy", () => {
  it("auto: a single PUT up to the threshold, multipart above", () => {
    expect(chooseStrategy(route("auto"), 0, true)).toBe("put");
    expect(chooseStrategy(route("auto"), 64 * MiB, true)).toBe("put");
    expect(chooseStrategy(route("auto"), 64 * MiB + 1, true)).toBe("multipart");
    expect(chooseStrategy(route("auto", 10 * MiB), 11 * MiB, false)).toBe("multipart");
  });

  it("auto: never a PUT above 5 GiB, whatever the threshold says", () => {
    expect(chooseStrategy(route("auto", 10 * GiB), 5 * GiB, true)).toBe("put");
    expect(chooseStrategy(route("auto", 10 * GiB), 5 * GiB + 1, true)).toBe("multipart");
  });

  it("auto never picks POST, with or without backend support", () => {
    for (const size of [0, MiB, GiB]) {
      expect(chooseStrategy(route("auto"), size, true)).not.toBe("post");
    }
  });

  it("returns an explicit strategy as it is (checkFiles and the config check the rest)", () => {
    expect(chooseStrategy(route("put"), 100 * MiB, true)).toBe("put");
    expect(chooseStrategy(route("post"), MiB, true)).toBe("post");
    expect(chooseStrategy(route("post"), MiB, false)).toBe("post");
    expect(chooseStrategy(route("multipart"), 1, true)).toBe("multipart");
  });
});
