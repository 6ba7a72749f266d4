import { describe, expect, it } from "vitest";
import { canonicalType, hasSignature, judgeDetection, sniffKind } from "./signatures.js";

const d = (mime: string) => mime;

describe("sniffKind: which declared types have signatures", () => {
  it.each([
    ["image/png", "signature"],
    ["IMAGE/JPEG; q=1", "signature"],
    ["image/jpg", "signature"],
    ["image/webp", "signature"],
    ["image/avif", "signature"],
    ["application/pdf", "signature"],
    ["video/mp4", "signature"],
    ["application/zip", "signature"],
    ["application/msword", "signature"], // via its OLE container
    ["text/plain", "text"],
    ["text/csv", "text"],
    ["text/html", "text"],
    ["application/json", "text"],
    ["image/svg+xml", "text"],
    ["application/ld+json", "text"],
    ["application/xml", "text"], // file-type knows <?xml, but the declaration is optional
    ["application/octet-stream", "opaque"],
    ["model/stl", "opaque"],
    ["application/x-tar", "opaque"],
    ["application/vnd.example.custom", "opaque"],
  ])("%s is %s", (type, kind) => {
    expect(sniffKind(type)).toBe(kind);
    expect(hasSignature(type)).toBe(kind === "signature");
  });

  it("resolves aliases to the name file-type reports", () => {
    expect(canonicalType("image/JPG")).toBe("image/jpeg");
    expect(canonicalType("audio/x-wav")).toBe("audio/wav");
    expect(canonicalType("application/x-zip-compressed")).toBe("application/zip");
    expect(canonicalType("text/plain; charset=utf-8")).toBe("text/plain");
  });
});

describe("judgeDetection", () => {
  it("signature types need their own signature or a sibling's", () => {
    expect(judgeDetection("image/png", d("image/png"))).toEqual({ ok: true, kind: "signature" });
    expect(judgeDetection("image/png", d("image/apng")).ok).toBe(true);
    expect(judgeDetection("image/jpg", d("image/jpeg")).ok).toBe(true);
    expect(judgeDetection("video/mp4", d("video/quicktime")).ok).toBe(true);
    expect(judgeDetection("image/heic", d("image/heif")).ok).toBe(true);
    expect(
      judgeDetection(
        "application/zip",
        d("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
      ).ok,
    ).toBe(true);
    expect(
      judgeDetection(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        d("application/zip"),
      ).ok,
    ).toBe(true);
    expect(judgeDetection("application/vnd.ms-excel", d("application/x-cfb")).ok).toBe(true);
    expect(judgeDetection("audio/ogg", d("audio/ogg; codecs=opus")).ok).toBe(true);
  });

  it("signature types with nothing recognised, or something else, are refused", () => {
    expect(judgeDetection("image/png", undefined)).toEqual({
      ok: false,
      kind: "signature",
      reason: "the bytes do not start with a image/png signature",
    });
    expect(judgeDetection("image/png", d("image/jpeg"))).toEqual({
      ok: false,
      kind: "signature",
      reason: "declared image/png but the bytes are image/jpeg",
    });
    expect(judgeDetection("application/pdf", d("application/postscript")).ok).toBe(false);
    expect(judgeDetection("application/zip", d("application/x-msdownload")).ok).toBe(false);
    expect(judgeDetection("image/jpeg", d("image/png")).ok).toBe(false);
  });

  it("text types pass with no signature or a text one, and are refused when the bytes are binary", () => {
    expect(judgeDetection("text/plain", undefined)).toEqual({ ok: true, kind: "text" });
    expect(judgeDetection("image/svg+xml", d("application/xml")).ok).toBe(true);
    expect(judgeDetection("text/calendar", d("text/calendar")).ok).toBe(true);
    expect(judgeDetection("text/plain", d("application/x-msdownload"))).toEqual({
      ok: false,
      kind: "text",
      reason: "declared text/plain (text) but the bytes are application/x-msdownload",
    });
    expect(judgeDetection("text/csv", d("application/zip")).ok).toBe(false);
    expect(judgeDetection("application/json", d("image/png")).ok).toBe(false);
    expect(judgeDetection("image/svg+xml", d("application/pdf")).ok).toBe(false);
  });

  it("opaque types accept anything but executables", () => {
    expect(judgeDetection("application/octet-stream", undefined).ok).toBe(true);
    expect(judgeDetection("application/octet-stream", d("application/zip")).ok).toBe(true);
    expect(judgeDetection("application/octet-stream", d("application/x-msdownload")).ok).toBe(false);
    expect(judgeDetection("application/vnd.example.custom", d("application/x-elf")).ok).toBe(false);
    // Declaring the executable type itself is honest.
    expect(judgeDetection("application/x-executable", d("application/x-elf")).ok).toBe(true);
  });
});
