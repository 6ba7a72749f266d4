import { describe, expect, it } from "vitest";
import { DEFAULT_KEY_TEMPLATE } from "../../core/policy/keys.js";
import { keyPrefixes, routeKeyPrefix } from "./key-prefixes.js";
import type { ResolvedRoute } from "./resolved.js";

const route = (name: string, key: ResolvedRoute["key"]) => ({ policy: { name }, key }) as ResolvedRoute;

describe("routeKeyPrefix", () => {
  it("is the fixed folder before the first variable other than {route}", () => {
    expect(routeKeyPrefix(route("images", { template: DEFAULT_KEY_TEMPLATE }))).toBe("images");
    expect(routeKeyPrefix(route("images", { template: "uploads/{route}/{userId}/{random}" }))).toBe(
      "uploads/images",
    );
    expect(routeKeyPrefix(route("a", { template: "u/{userId}-x/{random}" }))).toBe("u");
  });

  it("is undefined when nothing fixed comes first, or keys come from a function", () => {
    expect(routeKeyPrefix(route("a", { template: "{userId}/{random}" }))).toBeUndefined();
    expect(routeKeyPrefix(route("a", { template: "x{random}" }))).toBeUndefined();
    expect(routeKeyPrefix(route("a", { fn: () => "k" }))).toBeUndefined();
    expect(
      keyPrefixes([route("a", { template: DEFAULT_KEY_TEMPLATE }), route("b", { fn: () => "k" })]),
    ).toEqual(["a"]);
  });
});
