import { describe, expect, it } from "vitest";
import type { UploadRow } from "../../ledger/types.js";
import { type StorageClient, StorageError } from "../../s3/types.js";
import { finishMultipart } from "./multipart-finish.js";

const MiB = 1024 * 1024;
const row = {
  key: "any/k",
  multipartUploadId: "u1",
  declaredSize: 10 * MiB,
  partSize: 5 * MiB,
} as UploadRow;

/** Storage whose ListParts (or Complete) fails with `code`; the calls made are recorded. */
function failing(where: "listParts" | "completeMultipart", code: string) {
  const calls: string[] = [];
  const storage = {
    async listParts() {
      calls.push("listParts");
      if (where === "listParts") throw new StorageError(code, 404, code);
      return [1, 2].map((partNumber) => ({ partNumber, size: 5 * MiB, etag: `"p${partNumber}"` }));
    },
    async completeMultipart() {
      calls.push("completeMultipart");
      throw new StorageError(code, 404, code);
    },
  } as unknown as StorageClient;
  return { storage, calls };
}

describe("finishMultipart, when storage no longer has the multipart upload", () => {
  it.each([
    ["listParts", "NoSuchUpload"],
    ["listParts", "NoSuchKey"],
    ["completeMultipart", "NoSuchUpload"],
    ["completeMultipart", "NoSuchKey"],
  ] as const)("%s answering %s leaves the outcome to verification", async (where, code) => {
    const { storage, calls } = failing(where, code);
    await expect(finishMultipart(storage, row, undefined)).resolves.toBeUndefined();
    expect(calls).toEqual(where === "listParts" ? ["listParts"] : ["listParts", "completeMultipart"]);
  });

  it("any other storage refusal is still a failure", async () => {
    const { storage } = failing("listParts", "AccessDenied");
    await expect(finishMultipart(storage, row, undefined)).rejects.toMatchObject({ code: "STORAGE_ERROR" });
  });
});
