import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeTypes, extensionForType, normalizeTypePattern, typeMatches, validMimeType } from "./mime.js";
import { KNOWN_TYPES } from "./mime-table.js";

describe("validMimeType", () => {
  it.each([
    ["image/png", "image/png"],
    ["Image/PNG", "image/png"],
    ["  text/plain; charset=utf-8 ", "text/plain"],
    ["text/plain;charset=UTF-8;format=flowed", "text/plain"],
    ["image/svg+xml", "image/svg+xml"],
    ["Application/VND.MS-Excel", "application/vnd.ms-excel"],
    ["audio/mpeg;", "audio/mpeg"],
  ])("normalizes %j to %j", (input, output) => {
    expect(validMimeType(input)).toBe(output);
  });

  it.each([
    "",
    "image",
    "image/",
    "/png",
    "image/*",
    "*/*",
    "image/png/x",
    "image /png",
    "image/ png",
    'image/"png"',
    "image/png\r\nx-amz-acl: public-read",
    "image/png; charset=\r\nx: y",
    "image/png\u0000",
    "imäge/png",
    "-image/png",
    "image/pn g",
    `image/${"a".repeat(128)}`,
    "text/plain,text/html",
  ])("refuses %j", (input) => {
    expect(validMimeType(input)).toBeUndefined();
  });

  it("refuses non-strings", () => {
    expect(validMimeType(undefined)).toBeUndefined();
    expect(validMimeType(42)).toBeUndefined();
    expect(validMimeType({ toString: () => "image/png" })).toBeUndefined();
  });

  it("only ever returns a header-safe lower-case type/subtype token", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), fc.string({ maxLength: 20 }), (a, b) => {
        for (const input of [a, `${a}/${b}`, `image/${a}`, `image/png;${a}`]) {
          const t = validMimeType(input);
          if (t !== undefined) expect(t).toMatch(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/);
        }
      }),
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.+-]{0,10}\/[A-Za-z0-9][A-Za-z0-9.+-]{0,10}(;.*)?$/),
        (s) => {
          const t = validMimeType(s);
          expect(t).toBeDefined();
          expect(validMimeType(t)).toBe(t);
        },
      ),
    );
  });
});

describe("normalizeTypePattern", () => {
  it.each([
    ["image/*", "image/*"],
    ["IMAGE/*", "image/*"],
    ["*", "*/*"],
    ["*/*", "*/*"],
    ["image/png", "image/png"],
    ["image/png; q=1", undefined],
    ["*/png", undefined],
    ["im*/*", undefined],
    ["image/p*", undefined],
    ["", undefined],
  ])("reads %j as %j", (input, output) => {
    expect(normalizeTypePattern(input)).toBe(output);
  });
});

describe("typeMatches", () => {
  const images = ["image/png", "image/jpeg", "image/webp"];

  it("matches exact types, whatever their case or parameters", () => {
    expect(typeMatches("image/png", images)).toBe(true);
    expect(typeMatches("IMAGE/PNG; x=y", images)).toBe(true);
    expect(typeMatches("image/gif", images)).toBe(false);
    expect(typeMatches("image/png", ["Image/PNG"])).toBe(true);
  });

  it("matches family and any-type wildcards", () => {
    expect(typeMatches("image/heic", ["image/*"])).toBe(true);
    expect(typeMatches("video/mp4", ["image/*"])).toBe(false);
    expect(typeMatches("imagex/png", ["image/*"])).toBe(false);
    expect(typeMatches("application/pdf", ["*/*"])).toBe(true);
    expect(typeMatches("application/pdf", ["*"])).toBe(true);
  });

  it("never matches an invalid type, not even with */*", () => {
    expect(typeMatches("image/png\r\nx: y", ["*/*"])).toBe(false);
    expect(typeMatches("*/*", ["*/*"])).toBe(false);
    expect(typeMatches("image/*", ["image/*"])).toBe(false);
    expect(typeMatches("", ["*/*"])).toBe(false);
  });

  it("ignores invalid patterns and allows nothing for an empty list", () => {
    expect(typeMatches("image/png", ["image/p*", "*/png"])).toBe(false);
    expect(typeMatches("image/png", [])).toBe(false);
  });
});

describe("extensionForType", () => {
  it.each([
    ["image/png", ".png"],
    ["image/jpeg", ".jpg"],
    ["image/webp", ".webp"],
    ["image/gif", ".gif"],
    ["image/avif", ".avif"],
    ["image/heic", ".heic"],
    ["image/svg+xml", ".svg"],
    ["application/pdf", ".pdf"],
    ["text/plain; charset=utf-8", ".txt"],
    ["text/csv", ".csv"],
    ["application/json", ".json"],
    ["application/zip", ".zip"],
    ["application/gzip", ".gz"],
    ["video/mp4", ".mp4"],
    ["video/webm", ".webm"],
    ["video/quicktime", ".mov"],
    ["audio/mpeg", ".mp3"],
    ["audio/wav", ".wav"],
    ["audio/ogg", ".ogg"],
    ["application/msword", ".doc"],
    ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"],
    ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"],
    ["application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"],
    ["application/octet-stream", ""],
    ["application/x-unknown-thing", ""],
    ["not a type", ""],
    ["constructor/constructor", ""],
  ])("gives %s the extension %j", (type, ext) => {
    expect(extensionForType(type)).toBe(ext);
  });

  it("has table entries that are all normalized types with key-safe extensions and labels", () => {
    for (const [type, { ext, label }] of Object.entries(KNOWN_TYPES)) {
      expect(validMimeType(type), type).toBe(type);
      expect(ext, type).toMatch(/^(\.[a-z0-9]{1,16})?$/);
      expect(label.length, type).toBeGreaterThan(1);
    }
  });
});

describe("describeTypes", () => {
  it.each([
    [["image/png", "image/jpeg", "image/webp", "image/gif"], "PNG, JPEG, WebP, GIF"],
    [["image/*"], "any image"],
    [["image/*", "video/*", "application/pdf"], "any image, any video, PDF"],
    [["image/png", "*/*"], "any file"],
    [["*"], "any file"],
    [["audio/wav", "audio/x-wav", "audio/wave"], "WAV"],
    [["application/x-thing", "chemical/*"], "application/x-thing, any chemical type"],
    [["Image/PNG"], "PNG"],
    [[], "none"],
  ])("describes %j as %j", (patterns, text) => {
    expect(describeTypes(patterns)).toBe(text);
  });
});
