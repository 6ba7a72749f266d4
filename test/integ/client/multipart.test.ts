import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { describeError, type UploadProgress } from "../../../src/client/index.js";
import { Sha256 } from "../../../src/core/util/sha256.js";
import { getBytes } from "./support/s3.js";
import { type ClientRig, fileBytes, MIB, randomFile, startRig } from "./support/setup.js";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("base64");

function expectMonotonic(events: UploadProgress[], total: number) {
  for (let i = 1; i < events.length; i++)
    expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
  expect(events.every((e) => e.loaded <= total && e.percent <= 100)).toBe(true);
  expect(events.at(-1)).toMatchObject({ loaded: total, total, percent: 100, phase: "done" });
}

describe("client: multipart against the embedded store", () => {
  let rig: ClientRig;
  afterEach(async () => {
    await rig?.close();
  });

  it("uploads the parts in parallel, each with its own signed SHA-256, and completes verified", async () => {
    // The browsers' whole-file hasher (the JS one), not Node's native default.
    rig = await startRig(
      { strategy: "multipart", partSize: 5 * MIB },
      { concurrency: 4, hasher: () => new Sha256() },
    );
    rig.transport.before = () => new Promise((r) => setTimeout(r, 100));
    const file = randomFile(17 * MIB, "movie.mp4", "video/mp4");
    const events: UploadProgress[] = [];
    const [record] = await rig.uploader.upload(file, { route: "files", onProgress: (p) => events.push(p) });
    expect(record).toMatchObject({ status: "verified", size: 17 * MIB });
    const bytes = await fileBytes(file);
    expect(sha((await getBytes(rig.store, record!.key))!)).toBe(sha(bytes));
    expect(rig.transport.storedParts().sort()).toEqual([1, 2, 3, 4]);
    expect(rig.transport.maxInFlight).toBe(4);

    // Parts calls sign windows of parts, each part once, binding its SHA-256; then complete
    // with the ETags and the same SHA-256s.
    const partCalls = rig.gateway.calls.filter((c) => c.path.endsWith("/parts"));
    const signed = partCalls.flatMap((call) => {
      const body = call.body as { partNumbers: number[]; sha256: Record<string, string> };
      return body.partNumbers.map((n) => [n, body.sha256[String(n)]] as const);
    });
    const partSha = (n: number) => sha(bytes.subarray((n - 1) * 5 * MIB, n * 5 * MIB));
    expect(signed.map(([n]) => n).sort()).toEqual([1, 2, 3, 4]);
    for (const [n, value] of signed) expect(value).toBe(partSha(n));
    const complete = rig.gateway.calls.find((c) => c.path.endsWith("/complete"))!.body as {
      parts: Array<{ partNumber: number; etag: string; sha256: string }>;
    };
    expect(complete.parts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4]);
    expect(complete.parts.every((p) => /^"[0-9a-f]{32}"$/.test(p.etag))).toBe(true);
    expect(complete.parts.map((p) => p.sha256)).toEqual([1, 2, 3, 4].map(partSha));
    expectMonotonic(events, 17 * MIB);
  });

  it("honours concurrency: never more parts in flight than asked", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB }, { concurrency: 2 });
    rig.transport.before = () => new Promise((r) => setTimeout(r, 100));
    await rig.uploader.upload(randomFile(21 * MIB), { route: "files" });
    expect(rig.transport.maxInFlight).toBe(2);
    expect(rig.transport.storedParts()).toHaveLength(5);
  });

  it("retries parts cut mid-way; progress stays monotonic and counts each byte once", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB });
    rig.transport.cutOnce(2, 0.6);
    rig.transport.cutOnce(3, 0.3);
    const file = randomFile(12 * MIB);
    const events: UploadProgress[] = [];
    const retries: string[] = [];
    const [record] = await rig.uploader.upload(file, {
      route: "files",
      onProgress: (p) => events.push(p),
      onRetry: (info) => retries.push(describeError(info.error)),
    });
    expect(record!.status).toBe("verified");
    expect(sha((await getBytes(rig.store, record!.key))!)).toBe(sha(await fileBytes(file)));
    const attempts = (n: number) => rig.transport.sent.filter((s) => s.partNumber === n).map((s) => s.status);
    expect([attempts(1), attempts(2), attempts(3)]).toEqual([[200], ["failed", 200], ["failed", 200]]);
    expectMonotonic(events, 12 * MIB);
    expect(retries).toEqual([
      "data.bin: network connection lost — retrying",
      "data.bin: network connection lost — retrying",
    ]);
  });

  it("re-signs parts whose URLs storage says expired (403), through POST /parts", async () => {
    // Unhashed parts: a CRC route's (FULL_OBJECT) parts may go without their CRC.
    rig = await startRig(
      {
        strategy: "multipart",
        partSize: 5 * MIB,
        createSignedAgo: 700,
        expiresIn: 600,
        checksumAlgorithm: "crc64nvme",
      },
      { checksum: false },
    );
    const [record] = await rig.uploader.upload(randomFile(11 * MIB), { route: "files" });
    expect(record!.status).toBe("verified");
    const byPart = [1, 2, 3].map((n) =>
      rig.transport.sent.filter((s) => s.partNumber === n).map((s) => s.status),
    );
    expect(byPart).toEqual([
      [403, 200],
      [403, 200],
      [403, 200],
    ]);
    const partCalls = rig.gateway.calls.filter((c) => c.path.endsWith("/parts"));
    expect(partCalls.map((c) => (c.body as { partNumbers: number[]; sha256?: unknown }).sha256)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(partCalls).toHaveLength(3);
  });

  it("with checksum: false, refuses a sha256 route's multipart upload before sending a part, and deletes it", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB }, { checksum: false });
    const failure = await rig.uploader
      .upload(randomFile(11 * MIB), { route: "files" })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({
      name: "UploadError",
      code: "CHECKSUM",
      retryable: false,
      message: expect.stringMatching(/needs each part's SHA-256, which checksum: false turns off/),
    });
    expect(rig.transport.sent).toEqual([]);
    expect(rig.gateway.calls.filter((c) => c.path.endsWith("/parts"))).toEqual([]);
    const deleted = rig.gateway.calls.filter((c) => c.method === "DELETE");
    expect(deleted).toHaveLength(1);
  });

  it("retries storage 503 and gateway 429, honouring Retry-After", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB });
    rig.transport.respondOnce(2, 503, "<Error><Code>SlowDown</Code><Message>Slow down</Message></Error>", {
      "retry-after": "3",
    });
    rig.gateway.failOnce((m, p) => m === "POST" && p.endsWith("/complete"), 429, "RATE_LIMITED", {
      "retry-after": "2",
    });
    const [record] = await rig.uploader.upload(randomFile(10 * MIB + 1), { route: "files" });
    expect(record!.status).toBe("verified");
    expect(rig.sleeps.sort()).toEqual([2000, 3000]);
  });

  it("does not retry a part whose bytes differ from its signed SHA-256: CHECKSUM, and the upload is aborted", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB });
    const original = randomFile(11 * MIB, "clip.mov", "video/quicktime");
    // Part 2 is hashed from one set of bytes and sent with another, as when the file changes on disk.
    let sends = 0;
    rig.transport.before = (request, n) => {
      if (n === 2 && sends++ === 0) request.body = new Blob([new Uint8Array(request.size).fill(9)]);
    };
    const err = await rig.uploader.upload(original, { route: "files" }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "CHECKSUM",
      serverCode: "BadDigest",
      retryable: false,
      file: "clip.mov",
    });
    expect(describeError(err)).toBe("clip.mov: the file changed while uploading");
    expect(rig.transport.sent.filter((s) => s.partNumber === 2)).toHaveLength(1);
    expect(rig.gateway.calls.filter((c) => c.method === "DELETE")).toHaveLength(1);
    expect(rig.state.size).toBe(0);
  });

  it("a part answer without a readable ETag is explained as a CORS setting, not retried", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB });
    rig.transport.respondOnce(1, 200);
    const err = await rig.uploader
      .upload(randomFile(6 * MIB, "e.bin"), { route: "files" })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "STORAGE", retryable: false, serverCode: "ETagNotExposed" });
    expect(describeError(err)).toContain("the storage's CORS must expose ETag");
    expect(rig.transport.sent.filter((s) => s.partNumber === 1)).toHaveLength(1);
  });

  it("gives up after the configured retries with NETWORK, and keeps the upload for a later resume", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB }, { retry: { retries: 2 } });
    rig.transport.before = (_request, n) => {
      if (n === 2) throw new (class extends Error {})("socket hang up");
    };
    const err = await rig.uploader.upload(randomFile(11 * MIB), { route: "files" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "NETWORK", retryable: true, attempts: 3, file: "data.bin" });
    expect(describeError(err)).toBe("data.bin: network connection lost (gave up after 3 tries)");
    expect(rig.gateway.calls.filter((c) => c.method === "DELETE")).toHaveLength(0);
    expect(rig.state.size).toBe(1);
  });
});
