import type { Restrictions } from "@uppy/core";
import { describe, expect, it } from "vitest";
import { routeInfo } from "../../test/support/route-info.js";
import type { RouteInfo } from "../client/index.js";
import { mergeRestrictions, routeRestrictions } from "./restrictions.js";

const route = (over: Partial<RouteInfo>): RouteInfo =>
  routeInfo({
    name: "documents",
    label: "Documents",
    types: [
      { type: "application/pdf", label: "PDF document", extensions: [".pdf"] },
      { type: "image/*", label: "Any image", extensions: [".png", ".jpg", ".jpeg"] },
    ],
    maxSize: 25 * 1024 * 1024,
    maxFiles: 10,
    ...over,
  });

const NONE: Restrictions = {
  maxFileSize: null,
  minFileSize: null,
  maxTotalFileSize: null,
  maxNumberOfFiles: null,
  minNumberOfFiles: null,
  allowedFileTypes: null,
  requiredMetaFields: [],
};

describe("routeRestrictions", () => {
  it("lists each type with its extensions, and the route's size bounds and file count", () => {
    expect(routeRestrictions(route({ minSize: 10 }))).toEqual({
      allowedFileTypes: ["application/pdf", ".pdf", "image/*", ".png", ".jpg", ".jpeg"],
      maxFileSize: 25 * 1024 * 1024,
      minFileSize: 10,
      maxNumberOfFiles: 10,
    });
  });

  it("sets no type list for a route that takes any file, and no minimum of 0", () => {
    const any = routeRestrictions(route({ types: [{ type: "*/*", label: "Any file", extensions: [] }] }));
    expect([any.allowedFileTypes, any.minFileSize]).toEqual([null, null]);
  });
});

describe("mergeRestrictions", () => {
  it("takes the route's rules where the app set none", () => {
    const merged = mergeRestrictions(NONE, routeRestrictions(route({})));
    expect(merged).toMatchObject({ maxFileSize: 25 * 1024 * 1024, maxNumberOfFiles: 10 });
    expect(merged.allowedFileTypes).toContain(".pdf");
    expect(merged.requiredMetaFields).toEqual([]);
  });

  it("keeps the stricter bound of the two, and the app's own type list", () => {
    const app = {
      ...NONE,
      maxFileSize: 1024,
      minFileSize: 1,
      maxNumberOfFiles: 50,
      allowedFileTypes: [".pdf"],
      maxTotalFileSize: 5000,
    };
    expect(mergeRestrictions(app, routeRestrictions(route({ minSize: 100 })))).toEqual({
      ...app,
      maxFileSize: 1024,
      minFileSize: 100,
      maxNumberOfFiles: 10,
      allowedFileTypes: [".pdf"],
    });
  });
});
