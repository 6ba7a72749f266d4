import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createUploader,
  describeError,
  type Uploader,
  type UploadProgress,
} from "../../../src/client/index.js";
import type { UploaderOptions } from "../../../src/client/options.js";
import { memoryStateStore } from "../../../src/client/state/memory.js";
import { bytes, type Harness, MiB, PNG_1X1, sha256b64, signToken, startGateway } from "../gateway/support.js";
import { routedFetch } from "./support/fake-gateway.js";
import { type RecordingTransport, recordingTransport } from "./support/transports.js";

/** The client against the real gateway (createGateway, SQLite ledger, JWT) and the embedded store. */
describe("client against the real gateway and store", () => {
  let h: Harness;
  let token: string;
  let transport: RecordingTransport;
  let state: ReturnType<typeof memoryStateStore>;
  const endpoint = "http://gateway.test";

  const uploader = (options: Partial<UploaderOptions> = {}): Uploader =>
    createUploader({
      endpoint,
      headers: async () => ({ authorization: `Bearer ${token}` }),
      fetch: routedFetch({ endpoint, fetch: (req) => h.gateway.fetch(req, { clientIp: "192.0.2.7" }) }),
      transport,
      stateStore: state,
      sleep: async () => {},
      ...options,
    });

  beforeAll(async () => {
    h = await startGateway({
      routes: {
        images: {
          label: "Images",
          types: ["image/png", "image/jpeg", "image/webp", "image/gif"],
          maxSize: "10MB",
          checksum: "required",
        },
        documents: { types: ["application/octet-stream"], maxSize: "10MB", strategy: "post" },
        videos: {
          types: ["application/octet-stream"],
          maxSize: "100MB",
          strategy: "multipart",
          partSize: "5MB",
          checksum: "required",
        },
        "open-videos": {
          types: ["application/octet-stream"],
          maxSize: "100MB",
          strategy: "multipart",
          partSize: "5MB",
          public: true,
        },
        archives: {
          types: ["application/octet-stream"],
          maxSize: "100MB",
          strategy: "multipart",
          partSize: "5MB",
          quota: { bytes: "40MB" },
        },
      },
    });
    token = await signToken("carol");
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    transport = recordingTransport();
    state = memoryStateStore();
  });

  async function download(id: string): Promise<Uint8Array> {
    const res = await h.api(`/v1/files/${id}`, { token });
    expect(res.status).toBe(302);
    const file = await fetch(res.headers.get("location")!);
    expect(file.status).toBe(200);
    return new Uint8Array(await file.arrayBuffer());
  }

  it("PUT: a PNG goes up with its checksum, ends verified and downloads byte-identical", async () => {
    const events: UploadProgress[] = [];
    const [record] = await uploader().upload(new File([PNG_1X1], "dot.png", { type: "image/png" }), {
      route: "images",
      onProgress: (p) => events.push(p),
    });
    expect(record).toMatchObject({ status: "verified", name: "dot.png", sha256: sha256b64(PNG_1X1) });
    expect(await download(record!.id)).toEqual(PNG_1X1);
    expect(events.at(-1)).toMatchObject({ loaded: PNG_1X1.length, percent: 100, phase: "done" });
  });

  it("POST: the form upload ends verified", async () => {
    const data = bytes(200_000, 3);
    const [record] = await uploader().upload(
      new File([data], "blob.bin", { type: "application/octet-stream" }),
      {
        route: "documents",
      },
    );
    expect(record!.status).toBe("verified");
    expect(transport.sent).toEqual([{ method: "POST", partNumber: undefined, status: 204 }]);
    expect(await download(record!.id)).toEqual(data);
  });

  it("multipart: parts in parallel with signed part checksums, verified, sha256 of the stored object matches", async () => {
    const data = bytes(13 * MiB, 4);
    const events: UploadProgress[] = [];
    transport.cutOnce(2, 0.5);
    const [record] = await uploader({ concurrency: 4 }).upload(
      new File([data], "clip.bin", { type: "application/octet-stream" }),
      { route: "videos", onProgress: (p) => events.push(p) },
    );
    expect(record).toMatchObject({ status: "verified", size: 13 * MiB, sha256: sha256b64(data) });
    expect(transport.storedParts().sort()).toEqual([1, 2, 3]);
    expect(transport.maxInFlight).toBe(3);
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
    expect(events.at(-1)).toMatchObject({ loaded: 13 * MiB, percent: 100 });
    expect(sha256b64(await download(record!.id))).toBe(sha256b64(data));
  });

  it("resume: after a lost session only the missing parts are sent, and the gateway is asked first", async () => {
    const data = bytes(12 * MiB, 5);
    const file = new File([data], "long.bin", { type: "application/octet-stream", lastModified: 1 });
    transport.before = (_r, n) => {
      if (n === 3) throw new Error("offline");
    };
    const first = await uploader({ retry: { retries: 0 } })
      .upload(file, { route: "videos" })
      .catch((e: unknown) => e);
    expect(first).toMatchObject({ code: "NETWORK" });
    expect(transport.storedParts().sort()).toEqual([1, 2]);
    transport.before = undefined;
    transport.sent.length = 0;

    const [record] = await uploader().upload(file, { route: "videos" });
    expect(record!.status).toBe("verified");
    expect(transport.sent.map((s) => s.partNumber)).toEqual([3]);
    expect(sha256b64(await download(record!.id))).toBe(sha256b64(data));
  });

  it("anonymous: the client sends the capability, keeps it for resume, and shares a token link", async () => {
    const anonymous = (options: Partial<UploaderOptions> = {}) =>
      uploader({ headers: async () => ({}), ...options });
    const data = bytes(12 * MiB, 8);
    const file = new File([data], "anon.bin", { type: "application/octet-stream", lastModified: 2 });
    transport.before = (_r, n) => {
      if (n === 3) throw new Error("offline");
    };
    const first = await anonymous({ retry: { retries: 0 } })
      .upload(file, { route: "open-videos" })
      .catch((e: unknown) => e);
    expect(first).toMatchObject({ code: "NETWORK" });
    transport.before = undefined;
    transport.sent.length = 0;
    // A new uploader (a reloaded page) knows the capability only from the saved resume record.
    const second = anonymous();
    const [record] = await second.upload(file, { route: "open-videos" });
    expect(record!.status).toBe("verified");
    expect(transport.sent.map((s) => s.partNumber)).toEqual([3]);
    expect((await h.gateway.ledger.get(record!.id))!.capabilityHash).not.toBeNull();
    // The id alone cannot delete it; the uploader that created it can.
    expect((await h.api(`/v1/uploads/${record!.id}`, { method: "DELETE" })).status).toBe(401);
    await second.abort(record!.id);
    expect((await h.gateway.ledger.get(record!.id))!.status).toBe("aborted");

    const small = new File([bytes(1000, 9)], "small.bin", { type: "application/octet-stream" });
    const client = anonymous();
    const [shared] = await client.upload(small, { route: "open-videos" });
    const link = client.fileUrl(shared!.id);
    expect(link).toMatch(/\?token=upd_/);
    const res = await h.gateway.fetch(new Request(link), { clientIp: "203.0.113.50" });
    expect(res.status).toBe(302);
  });

  it("abort: DELETE removes the multipart upload and releases the quota", async () => {
    const big = () => new File([bytes(30 * MiB, 6)], "big.bin", { type: "application/octet-stream" });
    const client = uploader({ concurrency: 1 });
    let task: ReturnType<Uploader["start"]> | undefined;
    let aborting: Promise<void> | undefined;
    transport.before = (_r, n) => {
      if (n === 2) aborting ??= task!.abort();
    };
    task = client.start(big(), { route: "archives" });
    await expect(task.done).rejects.toMatchObject({ code: "ABORTED" });
    await aborting;
    const listed = await client.list({ route: "archives", status: "aborted" });
    expect(listed.uploads.map((u) => u.id)).toContain(task.uploadIds[0]);
    expect(await h.gateway.storage.listMultipartUploads("archives/")).toEqual([]);
    // 30 MB of a 40 MB quota again fits only because the aborted reservation was released.
    transport.before = undefined;
    const [again] = await client.upload(big(), { route: "archives" });
    expect(again!.status).toBe("verified");
  });

  it("refuses a disallowed type and an oversize file before any byte is sent, in plain words", async () => {
    const client = uploader();
    const heic = await client
      .upload(new File([new Uint8Array(10)], "photo.heic", { type: "image/heic" }), { route: "images" })
      .catch((e: unknown) => e);
    expect(describeError(heic)).toBe(
      "photo.heic is HEIC, not an allowed type for Images (allowed: PNG, JPEG, WebP, GIF)",
    );
    const huge = await client
      .upload(new File([new Uint8Array(12 * MiB)], "huge.png", { type: "image/png" }), { route: "images" })
      .catch((e: unknown) => e);
    expect(huge).toMatchObject({ code: "GATEWAY", status: 413, serverCode: "POLICY_TOO_LARGE" });
    expect(describeError(huge)).toBe("huge.png is too large: 12 MB, limit 10 MB");
    expect(transport.sent).toHaveLength(0);
  });

  it("a file whose bytes lie about its type ends rejected, with a message", async () => {
    const html = new TextEncoder().encode(
      "<!doctype html><html><body><script>alert(1)</script></body></html>",
    );
    const err = await uploader()
      .upload(new File([html], "cat.png", { type: "image/png" }), { route: "images" })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "GATEWAY",
      status: 422,
      serverCode: "VERIFY_CONTENT_MISMATCH",
      file: "cat.png",
    });
    expect(describeError(err)).toMatch(/^cat\.png: rejected: its content is (.+, )?not image\/png$/);
  });

  it("without a token the gateway's refusal reads as a sign-in prompt", async () => {
    const anonymous = createUploader({
      endpoint,
      fetch: routedFetch({ endpoint, fetch: (req) => h.gateway.fetch(req) }),
      transport,
      stateStore: state,
    });
    const err = await anonymous
      .upload(new File([PNG_1X1], "a.png", { type: "image/png" }), { route: "images" })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "GATEWAY", status: 401, serverCode: "AUTH_REQUIRED" });
    expect(describeError(err)).toBe("sign in to upload");
  });
});
