import { describe, expect, it } from "vitest";
import { toEntries } from "./files.js";
import { memoryStateStore } from "./state/memory.js";
import { createUploader } from "./uploader.js";

describe("createUploader", () => {
  it("checks its options", () => {
    expect(() => createUploader({} as never)).toThrow(/endpoint/);
    expect(() =>
      createUploader({ endpoint: "http://gw", concurrency: 0, stateStore: memoryStateStore() }),
    ).toThrow(/concurrency/);
    const uploader = createUploader({ endpoint: "http://gw", stateStore: memoryStateStore() });
    expect(() => uploader.start(new Blob(["x"]), { route: "" })).toThrow(/route/);
    expect(uploader.fileUrl("u1")).toBe("http://gw/v1/files/u1");
  });

  it("describes files: Files by their name and type, Blobs as 'blob'", () => {
    const file = new File(["abc"], "a.png", { type: "image/png", lastModified: 42 });
    expect(toEntries([file, new Blob(["xy"])]).map(({ blob: _, ...rest }) => rest)).toEqual([
      { name: "a.png", type: "image/png", size: 3, lastModified: 42 },
      { name: "blob", type: "application/octet-stream", size: 2, lastModified: 0 },
    ]);
    expect(() => toEntries([])).toThrow(/no files/);
    expect(() => toEntries(["nope" as unknown as Blob])).toThrow(/File or a Blob/);
  });

  it("rejects with the gateway's refusal and sends nothing to storage", async () => {
    const uploader = createUploader({
      endpoint: "http://gw",
      stateStore: memoryStateStore(),
      fetch: async () => Response.json({ error: { code: "AUTH_REQUIRED", message: "no" } }, { status: 401 }),
      transport: {
        send: () => {
          throw new Error("storage must not be called");
        },
      },
    });
    await expect(uploader.upload(new File(["x"], "x.txt"), { route: "r" })).rejects.toMatchObject({
      code: "GATEWAY",
      serverCode: "AUTH_REQUIRED",
      file: "x.txt",
    });
  });
});
