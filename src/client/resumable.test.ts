import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Crc64Nvme } from "../core/util/crc64nvme.js";
import { FINGERPRINT_BYTES } from "./hash/fingerprint.js";
import { isSameFile, type ResumableUpload } from "./resumable.js";
import { resumeKey } from "./state/key.js";
import { memoryStateStore } from "./state/memory.js";
import type { ResumeRecord } from "./state/types.js";
import { createUploader } from "./uploader.js";

const MiB = 1024 * 1024;
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("base64");

function record(
  id: string,
  key: string,
  updatedAt: string,
  etags: Record<string, string> = {},
): ResumeRecord {
  return {
    key,
    id,
    route: "any",
    uploadId: `mp-${id}`,
    objectKey: `any/u/${id}`,
    partSize: 8,
    sizes: [8, 8, 3],
    etags,
    expiresAt: "2030-01-01T00:00:00.000Z",
    updatedAt,
  };
}

describe("uploader.resumable()", () => {
  it("lists remembered uploads with the bytes storage holds, newest first, and forgets gone ones", async () => {
    const state = memoryStateStore();
    const keyA = resumeKey({ name: "a.bin", size: 19, lastModified: 1 }, "h");
    const keyB = resumeKey({ name: "b.bin", size: 19, lastModified: 2 }, "h");
    const keyGone = resumeKey({ name: "c.bin", size: 19, lastModified: 3 }, "h");
    const keyDown = resumeKey({ name: "d.bin", size: 19, lastModified: 4 }, "h");
    const keyTheirs = resumeKey({ name: "e.bin", size: 19, lastModified: 5 }, "h");
    await state.put(record("a", keyA, "2029-01-01T00:00:01Z"));
    await state.put(record("b", keyB, "2029-01-01T00:00:02Z"));
    await state.put(record("gone", keyGone, "2029-01-01T00:00:03Z"));
    await state.put(record("down", keyDown, "2029-01-01T00:00:04Z", { "1": '"e1"' }));
    await state.put(record("theirs", keyTheirs, "2029-01-01T00:00:05Z"));
    const uploaded: Record<string, Array<{ partNumber: number; size: number; etag: string }>> = {
      a: [
        { partNumber: 1, size: 8, etag: '"1"' },
        { partNumber: 3, size: 3, etag: '"3"' },
      ],
      // A part whose size is not the plan's is not counted.
      b: [{ partNumber: 2, size: 5, etag: '"2"' }],
    };
    // Only what storage holds is asked: a sha256 upload's part URL would need that part's SHA-256.
    const asked: unknown[] = [];
    const uploader = createUploader({
      endpoint: "http://gw",
      stateStore: state,
      retry: { retries: 0 },
      fetch: async (input, init) => {
        asked.push(await new Request(input, init).json());
        const id = decodeURIComponent(new URL(String(input)).pathname.split("/")[3]!);
        if (id === "gone")
          return Response.json({ error: { code: "UPLOAD_STATE_CONFLICT", message: "x" } }, { status: 409 });
        if (id === "theirs")
          return Response.json({ error: { code: "UPLOAD_NOT_FOUND", message: "x" } }, { status: 404 });
        if (id === "down")
          return Response.json({ error: { code: "INTERNAL", message: "x" } }, { status: 500 });
        return Response.json({ parts: [], uploaded: uploaded[id], expiresAt: "2030-01-01T00:00:00Z" });
      },
    });
    const list = await uploader.resumable();
    expect(list.map((u) => [u.id, u.name, u.size, u.lastModified, u.storedBytes, u.route])).toEqual([
      ["down", "d.bin", 19, 4, 8, "any"], // the gateway could not say: the parts this client saw stored
      ["b", "b.bin", 19, 2, 0, "any"],
      ["a", "a.bin", 19, 1, 11, "any"],
    ]);
    expect(asked).toEqual(Array(5).fill({ partNumbers: [] }));
    expect(await state.get(keyGone)).toBeUndefined();
    expect(await state.get(keyA)).toBeDefined();
    expect(await state.get(keyTheirs)).toBeDefined();
  });

  it("offers nothing when the state store cannot list", async () => {
    const { list: _, ...unlisted } = memoryStateStore();
    const uploader = createUploader({ endpoint: "http://gw", stateStore: unlisted });
    expect(await uploader.resumable()).toEqual([]);
  });
});

describe("isSameFile", () => {
  const offer = (file: File, hash: string): ResumableUpload => ({
    id: "u",
    route: "any",
    name: file.name,
    size: file.size,
    lastModified: file.lastModified,
    storedBytes: 0,
    expiresAt: "2030-01-01T00:00:00Z",
    key: resumeKey(file, hash),
  });

  it("matches name, size, date and the hash the client keys a file by", async () => {
    const bytes = new Uint8Array(1000).map((_, i) => i);
    const file = new File([bytes], "a.bin", { lastModified: 7 });
    const saved = offer(file, sha(bytes));
    expect(await isSameFile(file, saved)).toBe(true);
    expect(await isSameFile(new File([bytes], "b.bin", { lastModified: 7 }), saved)).toBe(false);
    expect(await isSameFile(new File([bytes], "a.bin", { lastModified: 8 }), saved)).toBe(false);
    const changed = bytes.slice();
    changed[999] = 0;
    expect(await isSameFile(new File([changed], "a.bin", { lastModified: 7 }), saved)).toBe(false);
  });

  it("keys a small file of a CRC route by its CRC, as resume does", async () => {
    const bytes = new Uint8Array(1000).map((_, i) => i * 3);
    const file = new File([bytes], "c.bin", { lastModified: 7 });
    const crc = new Crc64Nvme().update(bytes).digestBase64();
    const saved = { ...offer(file, `crc64nvme:${crc}`), checksumAlgorithm: "crc64nvme" as const };
    expect(await isSameFile(file, saved)).toBe(true);
    expect(await isSameFile(file, { ...saved, checksumAlgorithm: "sha256" })).toBe(false);
    const changed = bytes.slice();
    changed[0] = 1;
    expect(await isSameFile(new File([changed], "c.bin", { lastModified: 7 }), saved)).toBe(false);
  });

  it("keys a file over 64 MiB by its first 4 MiB, as resume does", async () => {
    const big = new Uint8Array(64 * MiB + 1);
    big[5] = 1;
    const file = new File([big], "big.bin", { lastModified: 1 });
    const saved = offer(file, sha(big.subarray(0, FINGERPRINT_BYTES)));
    expect(await isSameFile(file, saved)).toBe(true);
  });
});
