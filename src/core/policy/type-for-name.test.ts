import { describe, expect, it } from "vitest";
import { KNOWN_TYPES } from "./mime-table.js";
import { declaredType, extensionOf, isGenericType, typeForName } from "./type-for-name.js";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

describe("typeForName (the shared extension table)", () => {
  it("names the type of every extension the table gives a key", () => {
    for (const [type, known] of Object.entries(KNOWN_TYPES)) {
      if (!known.ext) continue;
      // Aliased types (audio/x-wav, text/xml) share an extension with the first type listing it.
      expect(KNOWN_TYPES[typeForName(`file${known.ext}`)!]?.ext, type).toBe(known.ext);
    }
  });

  it("reads the common other extensions, case-insensitively, the type's own extension winning", () => {
    expect(typeForName("notes.DOCX")).toBe(DOCX);
    expect(typeForName("photo.jpeg")).toBe("image/jpeg");
    expect(typeForName("scan.TIF")).toBe("image/tiff");
    expect(typeForName("page.htm")).toBe("text/html");
    expect(typeForName("README.md")).toBe("text/markdown");
    expect(typeForName("IMG_0001.heic")).toBe("image/heic");
    expect(typeForName("clip.mp4")).toBe("video/mp4");
    expect(typeForName("feed.xml")).toBe("application/xml");
  });

  it("names nothing for unknown extensions and names without one", () => {
    for (const name of ["data.xyz", "README", ".bashrc", "archive.", "dir.png/file", ""]) {
      expect(typeForName(name), name).toBeUndefined();
    }
  });

  it("extensionOf takes the last dot of the base name only", () => {
    expect(extensionOf("a.tar.GZ")).toBe(".gz");
    expect(extensionOf("dir.d/file")).toBe("");
    expect(extensionOf("C:\\docs.d\\notes.docx")).toBe(".docx");
    expect(extensionOf(".env")).toBe("");
  });
});

describe("declaredType", () => {
  it("keeps a specific type, and replaces an empty or generic one with the extension's", () => {
    expect(declaredType("notes.docx", "")).toBe(DOCX);
    expect(declaredType("notes.docx", "application/octet-stream")).toBe(DOCX);
    expect(declaredType("notes.docx", "Application/Octet-Stream; x=1")).toBe(DOCX);
    expect(declaredType("photo.png", "image/jpeg")).toBe("image/jpeg");
  });

  it("falls back to application/octet-stream, and an override always wins", () => {
    expect(declaredType("blob", "")).toBe("application/octet-stream");
    expect(declaredType("data.xyz", undefined)).toBe("application/octet-stream");
    expect(declaredType("notes.docx", "", "text/plain")).toBe("text/plain");
    expect(declaredType("photo.png", "image/png", "image/webp")).toBe("image/webp");
  });

  it("isGenericType: only empty and application/octet-stream say nothing", () => {
    expect(isGenericType(undefined)).toBe(true);
    expect(isGenericType(" ")).toBe(true);
    expect(isGenericType("application/octet-stream")).toBe(true);
    expect(isGenericType("text/plain")).toBe(false);
  });
});
