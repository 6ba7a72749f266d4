import { describe, expect, it } from "vitest";
import { createRouter } from "./router.js";

const router = createRouter([
  { method: "POST", pattern: "/v1/uploads", handler: "create" },
  { method: "GET", pattern: "/v1/uploads", handler: "list" },
  { method: "POST", pattern: "/v1/uploads/:id/complete", handler: "complete" },
  { method: "DELETE", pattern: "/v1/uploads/:id", handler: "delete" },
]);

describe("createRouter", () => {
  it("matches method and pattern, with decoded parameters", () => {
    expect(router.match("POST", "/v1/uploads")).toEqual({
      kind: "found",
      handler: "create",
      params: {},
      pattern: "/v1/uploads",
    });
    expect(router.match("GET", "/v1/uploads")).toMatchObject({ kind: "found", handler: "list" });
    expect(router.match("POST", "/v1/uploads/abc%20d/complete")).toEqual({
      kind: "found",
      handler: "complete",
      params: { id: "abc d" },
      pattern: "/v1/uploads/:id/complete",
    });
  });

  it("says which methods a known path takes", () => {
    expect(router.match("PUT", "/v1/uploads")).toEqual({
      kind: "method-not-allowed",
      allow: ["POST", "GET"],
      pattern: "/v1/uploads",
    });
    expect(router.match("GET", "/v1/uploads/x")).toEqual({
      kind: "method-not-allowed",
      allow: ["DELETE"],
      pattern: "/v1/uploads/:id",
    });
  });

  it("finds nothing for other paths, empty or malformed parameters, or trailing slashes", () => {
    for (const path of [
      "/",
      "/v1",
      "/v1/uploads/",
      "/v1/uploads//complete",
      "/v1/uploads/%E0%A4%A/complete",
      "/v2/uploads",
    ]) {
      expect(router.match("POST", path), path).toEqual({ kind: "not-found" });
    }
    expect(router.match("DELETE", `/v1/uploads/${"x".repeat(300)}`)).toEqual({ kind: "not-found" });
  });
});
