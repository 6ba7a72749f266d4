import { describe, expect, it } from "vitest";
import { decodePosition, encodePosition, type SweepPosition } from "./cursor.js";

describe("sweep cursors", () => {
  it.each<SweepPosition>([
    { phase: "expire", skip: 3 },
    { phase: "multipart", prefix: "images/", atKey: "images/u/\u{1f600}?", atUploadId: "u~1" },
    { phase: "objects", prefix: "docs/", token: "t+/=", atKey: "docs/a b" },
    { phase: "objects", prefix: "docs/", atKey: "docs/a" },
  ])("round-trips %j through a URL-safe string", (position) => {
    const cursor = encodePosition(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePosition(cursor)).toEqual(position);
  });

  it.each([
    ["not base64", "***"],
    ["not JSON", encodeText("{nope")],
    ["an unknown phase", encodeText('{"phase":"later"}')],
    ["a negative skip", encodeText('{"phase":"expire","skip":-1}')],
    ["a missing key", encodeText('{"phase":"objects","prefix":"a/"}')],
  ])("refuses %s", (_name, cursor) => {
    expect(() => decodePosition(cursor)).toThrow(TypeError);
  });
});

function encodeText(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
