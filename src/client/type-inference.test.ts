import { describe, expect, it } from "vitest";
import { toEntries } from "./files.js";
import { memoryStateStore } from "./state/memory.js";
import { createUploader } from "./uploader.js";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const types = (...args: Parameters<typeof toEntries>) => toEntries(...args).map((e) => e.type);

describe("the declared type", () => {
  it("comes from the extension when the File's type is empty or generic", () => {
    expect(
      types([
        new File(["x"], "notes.docx"),
        new File(["x"], "notes.DOCX", { type: "application/octet-stream" }),
        new File(["x"], "README.md", { type: "" }),
        new File(["x"], "IMG_1.heic"),
      ]),
    ).toEqual([DOCX, DOCX, "text/markdown", "image/heic"]);
  });

  it("keeps a specific type the browser gave, and stays generic when the name says nothing", () => {
    expect(
      types([
        new File(["x"], "photo.png", { type: "image/jpeg" }),
        new File(["x"], "data.xyz"),
        new Blob(["x"]),
      ]),
    ).toEqual(["image/jpeg", "application/octet-stream", "application/octet-stream"]);
  });

  it("`type` overrides, for every file or per file", () => {
    const files = [new File(["x"], "notes.docx"), new File(["x"], "a.png", { type: "image/png" })];
    expect(types(files, "text/plain")).toEqual(["text/plain", "text/plain"]);
    expect(types(files, (file) => ((file as File).name.endsWith(".png") ? "image/webp" : undefined))).toEqual(
      [DOCX, "image/webp"],
    );
  });

  it("is what upload() declares to the gateway", async () => {
    const declared: string[] = [];
    const uploader = createUploader({
      endpoint: "http://gw",
      stateStore: memoryStateStore(),
      checksum: false,
      fetch: async (_input, init) => {
        const body = JSON.parse(String(init?.body)) as { files: Array<{ type: string }> };
        declared.push(...body.files.map((f) => f.type));
        return Response.json({ error: { code: "POLICY_TYPE_NOT_ALLOWED", message: "no" } }, { status: 400 });
      },
    });
    await uploader.upload(new File(["x"], "notes.docx", { type: "" }), { route: "docs" }).catch(() => {});
    await uploader
      .upload(new File(["x"], "notes.docx", { type: "" }), { route: "docs", type: "application/msword" })
      .catch(() => {});
    expect(declared).toEqual([DOCX, "application/msword"]);
  });
});
