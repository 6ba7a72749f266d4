import { describe, expect, it } from "vitest";
import { stripTypeParameters } from "./content-type.js";
import { contentDisposition, inlineSafe } from "./inline-safe.js";

describe("inlineSafe", () => {
  it.each([
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/avif",
    "IMAGE/PNG",
    "image/png; x=1",
  ])("%s may render inline", (type) => expect(inlineSafe(type)).toBe(true));

  it.each([
    "text/html",
    "image/svg+xml",
    "application/xml",
    "text/xml",
    "application/xhtml+xml",
    "application/pdf",
    "text/plain",
    "application/javascript",
    "application/octet-stream",
    "image/x-icon",
    "image/bmp",
    "image/tiff",
    "video/mp4",
    "",
  ])("%s is never inline", (type) => expect(inlineSafe(type)).toBe(false));
});

describe("contentDisposition", () => {
  it("is inline for raster images and attachment for everything else", () => {
    expect(contentDisposition("image/png")).toBe("inline");
    expect(contentDisposition("text/html")).toBe("attachment");
    expect(contentDisposition("image/svg+xml")).toBe("attachment");
  });

  it("is inline for the types a route opted in, and only those", () => {
    expect(contentDisposition("image/svg+xml", "a.svg", ["image/svg+xml"])).toMatch(/^inline; /);
    expect(contentDisposition("text/html", undefined, ["text/*"])).toBe("inline");
    expect(contentDisposition("text/html", undefined, ["image/svg+xml"])).toBe("attachment");
    expect(contentDisposition("application/pdf", undefined, [])).toBe("attachment");
  });

  it("carries the name as an ASCII fallback plus RFC 6266 filename*", () => {
    expect(contentDisposition("application/pdf", 'Ünï "q"\\.pdf')).toBe(
      "attachment; filename=\"_n_ _q__.pdf\"; filename*=UTF-8''%C3%9Cn%C3%AF%20%22q%22%5C.pdf",
    );
    expect(contentDisposition("image/png", "a'(b).png")).toBe(
      "inline; filename=\"a'(b).png\"; filename*=UTF-8''a%27%28b%29.png",
    );
    expect(contentDisposition("text/plain", "evil\r\nx: y")).toBe(
      "attachment; filename=\"evil__x: y\"; filename*=UTF-8''evil%0D%0Ax%3A%20y",
    );
  });
});

describe("stripTypeParameters", () => {
  it("lower-cases, trims and drops parameters", () => {
    expect(stripTypeParameters(" Text/Plain ; charset=UTF-8")).toBe("text/plain");
    expect(stripTypeParameters("image/png")).toBe("image/png");
  });
});
