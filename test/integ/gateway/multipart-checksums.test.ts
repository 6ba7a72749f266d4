import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compositeSha256 } from "../../../src/core/s3/composite-checksum.js";
import type { RouteConfig } from "../../../src/server/index.js";
import { SNIFF_BYTES } from "../../../src/server/uploads/verify/sniff.js";
import { startRgwGateway } from "../../rgw/gateway.js";
import { startCountingProxy } from "../../support/counting-proxy.js";
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION } from "../../support/store-fixture.js";
import { sendParts } from "./signed-parts.js";
import {
  bytes,
  complete,
  createUpload,
  type Harness,
  JWT_SECRET,
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
/** Every file in parts of 5 MiB: three parts for the 11 MiB file. */
const VIDEOS: RouteConfig = {
  types: ["application/octet-stream"],
  maxSize: "100MB",
  strategy: "multipart",
  partSize: "5MB",
};

describe("gateway: multipart completion checked against the parts' SHA-256s", () => {
  let h: Harness;
  let token: string;
  const data = bytes(11 * MiB, 3);
  const slice = (n: number) => data.subarray((n - 1) * 5 * MiB, Math.min(n * 5 * MiB, data.length));
  const partShas = [1, 2, 3].map((n) => sha256b64(slice(n)));

  beforeAll(async () => {
    h = await startGateway({
      routes: {
        videos: VIDEOS,
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
      await h.api(`/v1/uploads/${mp.id}/parts`, { token, body: { partNumbers: [] } }),
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

  it("without a composite in storage (a backend that keeps no checksum), hashes each part's bytes itself", async () => {
    // The same store behind a proxy that drops every checksum from its answers, as Ceph RGW 16 does.
    const proxy = await startCountingProxy(h.storeUrl, { stripChecksums: true });
    const storage = {
      endpoint: proxy.url,
      region: TEST_REGION,
      bucket: TEST_BUCKET,
      credentials: { ...TEST_CREDENTIALS },
      forcePathStyle: true,
    };
    const blind = startRgwGateway(storage, {
      auth: { jwt: { secret: JWT_SECRET } },
      routes: {
        videos: VIDEOS,
      },
    });
    try {
      const b = { api: blind.api };
      const create = async () =>
        (
          await createUpload(b, token, "videos", {
            name: "clip.bin",
            type: "application/octet-stream",
            size: data.length,
          })
        ).body.uploads[0];
      const mp = await create();
      const sent = await sendParts(b, token, mp, data);
      const wrong = [partShas[0], sha256b64(new Uint8Array(1)), partShas[2]];
      const bad = await complete(b, token, mp.id, {
        parts: sent.map((p, i) => ({ ...p, sha256: wrong[i] })),
      });
      expect(bad.res.status, JSON.stringify(bad.body)).toBe(422);
      expect(bad.body.error).toMatchObject({
        code: "VERIFY_CHECKSUM_MISMATCH",
        details: { checksumVerifiedBy: "gateway", partNumber: 2 },
      });

      const again = await create();
      const sent2 = await sendParts(b, token, again, data);
      proxy.reset();
      const good = await complete(b, token, again.id, { parts: sent2 });
      expect(good.res.status).toBe(200);
      expect(good.body.upload.status).toBe("verified");
      // One streamed read of the object for the part hashes, and the sniff's first bytes.
      expect(proxy.reads.objectBytes).toBe(data.length + SNIFF_BYTES);
    } finally {
      await blind.close();
      await proxy.close();
    }
  });
});
