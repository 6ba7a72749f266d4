import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { describeError, UploadError, type UploadProgress } from "../../../src/client/index.js";
import { getBytes } from "./support/s3.js";
import { type ClientRig, fileBytes, randomFile, startRig } from "./support/setup.js";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("base64");

/** A File whose bytes, when sent, differ from the bytes hashed before (it "changed on disk"). */
class ChangingFile extends File {
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const bytes = new Uint8Array(this.size).fill(7);
    return new Blob([bytes]).stream();
  }
}

describe("client: single PUT against the embedded store", () => {
  let rig: ClientRig;
  afterEach(async () => {
    await rig?.close();
  });

  it("uploads, completes verified, and the stored bytes are the file's", async () => {
    rig = await startRig({ strategy: "put" });
    const file = randomFile(300_000, "photo.png", "image/png");
    const events: UploadProgress[] = [];
    const [record] = await rig.uploader.upload(file, { route: "files", onProgress: (p) => events.push(p) });
    expect(record).toMatchObject({ status: "verified", name: "photo.png", size: 300_000, type: "image/png" });
    const stored = await getBytes(rig.store, record!.key);
    expect(stored).toEqual(await fileBytes(file));
    expect(record!.sha256).toBe(sha(stored!));
    // The declared checksum was the file's, computed before upload.
    const created = rig.gateway.calls.find((c) => c.path === "/v1/uploads")!.body as {
      files: Array<{ sha256: string }>;
    };
    expect(created.files[0]!.sha256).toBe(sha(stored!));
    expect(rig.transport.sent).toEqual([{ method: "PUT", partNumber: undefined, status: 200 }]);

    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ phase: "done", loaded: 300_000, total: 300_000, percent: 100 });
    expect(events.some((e) => e.phase === "hashing" && e.hashed === 300_000)).toBe(true);
    expect(events.every((e) => e.uploadId === undefined || e.uploadId === record!.id)).toBe(true);
  });

  it("uploads several files with one create request and returns records in order", async () => {
    rig = await startRig({ strategy: "put" });
    const files = [
      randomFile(1000, "a.txt", "text/plain", 1),
      randomFile(0, "empty.txt", "text/plain", 2),
      randomFile(70_000, "c.txt", "text/plain", 3),
    ];
    const records = await rig.uploader.upload(files, { route: "files" });
    expect(records.map((r) => [r.name, r.size, r.status])).toEqual([
      ["a.txt", 1000, "verified"],
      ["empty.txt", 0, "verified"],
      ["c.txt", 70_000, "verified"],
    ]);
    expect(rig.gateway.calls.filter((c) => c.path === "/v1/uploads")).toHaveLength(1);
    for (const [i, r] of records.entries())
      expect(await getBytes(rig.store, r.key)).toEqual(await fileBytes(files[i]!));
  });

  it("retries a connection cut half-way and keeps progress monotonic", async () => {
    rig = await startRig({ strategy: "put" });
    rig.transport.cutOnce(0, 0.5);
    const file = randomFile(2_000_000);
    const events: UploadProgress[] = [];
    const [record] = await rig.uploader.upload(file, { route: "files", onProgress: (p) => events.push(p) });
    expect(record!.status).toBe("verified");
    expect(rig.transport.sent.map((s) => s.status)).toEqual(["failed", 200]);
    const loaded = events.map((e) => e.loaded);
    // The cut attempt had counted about half; the retry added nothing until it passed that.
    expect(loaded.some((l) => l >= 1_000_000 && l < 2_000_000)).toBe(true);
    for (let i = 1; i < loaded.length; i++) expect(loaded[i]!).toBeGreaterThanOrEqual(loaded[i - 1]!);
    expect(loaded.at(-1)).toBe(2_000_000);
    expect(rig.sleeps).toHaveLength(1);
  });

  it("a retry refused with 412 means the lost attempt stored the file: complete verifies it", async () => {
    rig = await startRig({ strategy: "put" });
    rig.transport.loseResponseOnce(0);
    const file = randomFile(40_000, "twice.bin");
    const [record] = await rig.uploader.upload(file, { route: "files" });
    expect(rig.transport.sent.map((s) => s.status)).toEqual(["failed", 412]);
    expect(record!.status).toBe("verified");
    expect(await getBytes(rig.store, record!.key)).toEqual(await fileBytes(file));
  });

  it("a file that changed after hashing is refused by storage (BadDigest): CHECKSUM, not retried, deleted", async () => {
    rig = await startRig({ strategy: "put" });
    const original = randomFile(50_000, "notes.txt", "text/plain");
    const file = new ChangingFile([await fileBytes(original)], "notes.txt", { type: "text/plain" });
    const err = await rig.uploader.upload(file, { route: "files" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect(err).toMatchObject({
      code: "CHECKSUM",
      retryable: false,
      status: 400,
      serverCode: "BadDigest",
      file: "notes.txt",
    });
    expect(describeError(err)).toBe("notes.txt: the file changed while uploading");
    expect(rig.transport.sent).toHaveLength(1);
    expect(rig.gateway.calls.at(-1)).toMatchObject({ method: "DELETE" });
  });

  it("an expired link is replaced by a new upload for the file, and the old one released", async () => {
    rig = await startRig({ strategy: "put", createSignedAgo: 700, expiresIn: 600 });
    const file = randomFile(10_000, "late.bin");
    const [record] = await rig.uploader.upload(file, { route: "files" });
    expect(record!.status).toBe("verified");
    expect(rig.transport.sent.map((s) => s.status)).toEqual([403, 200]);
    const creates = rig.gateway.calls.filter((c) => c.method === "POST" && c.path === "/v1/uploads");
    expect(creates).toHaveLength(2);
    const deletes = rig.gateway.calls.filter((c) => c.method === "DELETE");
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.path).not.toContain(record!.id);
  });

  it("refuses a disallowed type before any byte is sent, in the gateway's words", async () => {
    rig = await startRig({
      strategy: "put",
      label: "Images",
      types: ["image/png", "image/jpeg", "image/webp", "image/gif"],
    });
    const err = await rig.uploader
      .upload(randomFile(100, "photo.heic", "image/heic"), { route: "files" })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "GATEWAY",
      status: 400,
      serverCode: "POLICY_TYPE_NOT_ALLOWED",
      file: "photo.heic",
    });
    expect(describeError(err)).toBe(
      "photo.heic is HEIC, not an allowed type for Images (allowed: PNG, JPEG, WebP, GIF)",
    );
    expect(rig.transport.sent).toHaveLength(0);
  });

  it("refuses an oversize file before any byte is sent: too large: 12 MB, limit 10 MB", async () => {
    rig = await startRig({ strategy: "put", label: "Images", maxSize: 10 * 1024 * 1024 });
    const big = new File([new Uint8Array(12 * 1024 * 1024)], "huge.png", { type: "image/png" });
    const err = await rig.uploader.upload(big, { route: "files" }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "GATEWAY",
      status: 413,
      serverCode: "POLICY_TOO_LARGE",
      retryable: false,
    });
    expect(describeError(err)).toBe("huge.png is too large: 12 MB, limit 10 MB");
    expect(rig.transport.sent).toHaveLength(0);
  });
});
