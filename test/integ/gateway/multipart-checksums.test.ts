import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compositeSha256 } from "../../../src/core/s3/composite-checksum.js";
import {
  bytes,
  complete,
  createUpload,
  type Harness,
  json,
  MiB,
  putWith,
  sha256b64,
  signToken,
  startGateway,
} from "./support.js";

/**
 * Multipart uploads whose parts' SHA-256s are given at complete (what the client does instead of
 * hashing the whole file first): checked against the storage's composite checksum when it keeps
 * one, else by hashing each part's bytes (storage that verifies nothing, like Ceph RGW 16).
 */
describe("gateway: multipart completion checked against the parts' SHA-256s", () => {
  let h: Harness;
  let token: string;
  const data = bytes(11 * MiB, 3);
  const slice = (n: number) => data.subarray((n - 1) * 5 * MiB, Math.min(n * 5 * MiB, data.length));
  const partShas = [1, 2, 3].map((n) => sha256b64(slice(n)));

  beforeAll(async () => {
    h = await startGateway({
      routes: {
        videos: {
          types: ["application/octet-stream"],
          maxSize: "100MB",
          strategy: "multipart",
          partSize: "5MB",
        },
      },
    });
    token = await signToken("carol");
  });
  afterAll(async () => {
    await h.close();
  });

  async function start() {
    const { body } = await createUpload(h, token, "videos", {
      name: "clip.bin",
      type: "application/octet-stream",
      size: data.length,
    });
    return body.uploads[0];
  }

  /** Signs parts 1-3 in one /parts call, each binding its SHA-256, and PUTs them. */
  async function sendSigned(id: string) {
    const res = await h.api(`/v1/uploads/${id}/parts`, {
      token,
      body: { partNumbers: [1, 2, 3], sha256: { "1": partShas[0], "2": partShas[1], "3": partShas[2] } },
    });
    expect(res.status).toBe(200);
    const { parts } = await json(res);
    const etags = [];
    for (const part of parts) {
      const put = await putWith(part, slice(part.partNumber));
      expect(put.status).toBe(200);
      etags.push({ partNumber: part.partNumber, etag: put.headers.get("etag")! });
    }
    return etags;
  }

  it("verifies against storage's composite, and /parts reports each stored part's SHA-256", async () => {
    const mp = await start();
    const etags = await sendSigned(mp.id);
    const listed = await json(
      await h.api(`/v1/uploads/${mp.id}/parts`, { token, body: { partNumbers: [1] } }),
    );
    expect(listed.uploaded.map((p: { sha256: string }) => p.sha256)).toEqual(partShas);

    const done = await complete(h, token, mp.id, {
      parts: etags.map((p, i) => ({ ...p, sha256: partShas[i] })),
    });
    expect(done.res.status).toBe(200);
    expect(done.body.upload).toMatchObject({ status: "verified", size: data.length });
    expect((await h.gateway.storage.head(mp.key))!.checksums.sha256).toBe(compositeSha256(partShas));
  });

  it("rejects when the parts' SHA-256s given at complete are not the stored parts'", async () => {
    const mp = await start();
    const etags = await sendSigned(mp.id);
    const wrong = [partShas[0], partShas[0], partShas[2]];
    const done = await complete(h, token, mp.id, {
      parts: etags.map((p, i) => ({ ...p, sha256: wrong[i] })),
    });
    expect(done.res.status).toBe(422);
    expect(done.body.error).toMatchObject({
      code: "VERIFY_CHECKSUM_MISMATCH",
      details: { checksumVerifiedBy: "storage", composite: true },
    });
    expect(await h.gateway.storage.head(mp.key)).toBeUndefined();
  });

  it("refuses SHA-256s for only some of the parts", async () => {
    const mp = await start();
    const etags = await sendSigned(mp.id);
    const done = await complete(h, token, mp.id, {
      parts: etags.map((p, i) => (i === 1 ? p : { ...p, sha256: partShas[i] })),
    });
    expect(done.res.status).toBe(400);
    expect(done.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { missing: [2] } });
  });

  it("without a composite in storage (parts sent unchecked), hashes each part's bytes itself", async () => {
    // The create answer's URLs bind no checksum, so storage keeps none: as with Ceph RGW 16.
    const mp = await start();
    const etags = [];
    for (const part of mp.parts) {
      const put = await putWith(part, slice(part.partNumber));
      etags.push({ partNumber: part.partNumber, etag: put.headers.get("etag")! });
    }
    const wrong = [partShas[0], sha256b64(new Uint8Array(1)), partShas[2]];
    const bad = await complete(h, token, mp.id, { parts: etags.map((p, i) => ({ ...p, sha256: wrong[i] })) });
    expect(bad.res.status).toBe(422);
    expect(bad.body.error).toMatchObject({
      code: "VERIFY_CHECKSUM_MISMATCH",
      details: { checksumVerifiedBy: "gateway", partNumber: 2 },
    });

    const again = await start();
    const etags2 = [];
    for (const part of again.parts) {
      const put = await putWith(part, slice(part.partNumber));
      etags2.push({ partNumber: part.partNumber, etag: put.headers.get("etag")! });
    }
    expect((await h.gateway.storage.listParts(again.key, again.uploadId)).some((p) => p.sha256)).toBe(false);
    const good = await complete(h, token, again.id, {
      parts: etags2.map((p, i) => ({ ...p, sha256: partShas[i] })),
    });
    expect(good.res.status).toBe(200);
    expect(good.body.upload.status).toBe("verified");
  });
});
