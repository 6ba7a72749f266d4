import { afterAll, beforeAll, expect, it } from "vitest";
import type { RouteChecksumAlgorithm } from "../../src/core/protocol.js";
import { SNIFF_BYTES } from "../../src/server/verify/sniff.js";
import { checksumOf, sendParts } from "../integ/gateway/signed-parts.js";
import { bytes, complete, createUpload, MiB, putWith, signToken } from "../integ/gateway/support.js";
import { type CountingProxy, startCountingProxy } from "../support/counting-proxy.js";
import { createRgwBucket, describeRgw } from "./env.js";
import { type RgwGateway, startRgwGateway } from "./gateway.js";

const OCTETS = "application/octet-stream";
const ALGORITHMS: RouteChecksumAlgorithm[] = ["sha256", "crc64nvme", "crc32c"];

/**
 * The read-back path: Ceph RGW 16 keeps no checksum (and stores bodies whose signed checksum is
 * wrong), so completion streams each object once and checks it in the route's algorithm.
 */
describeRgw("route checksums against Ceph RGW (no checksum kept: the gateway reads back)", (rgw) => {
  let h: RgwGateway;
  let proxy: CountingProxy;
  let token: string;
  beforeAll(async () => {
    const storage = await createRgwBucket(rgw, "checksums");
    proxy = await startCountingProxy(storage.endpoint);
    h = startRgwGateway(
      { ...storage, endpoint: proxy.url },
      {
        routes: Object.fromEntries(
          ALGORITHMS.flatMap((algorithm) => [
            [
              `put-${algorithm}`,
              { types: [OCTETS], maxSize: "10MB", strategy: "put", checksum: { algorithm } },
            ],
            [
              `mp-${algorithm}`,
              {
                types: [OCTETS],
                maxSize: "100MB",
                strategy: "multipart",
                partSize: "5MB",
                checksum: { algorithm },
              },
            ],
          ]),
        ),
      },
    );
    token = await signToken("rgw-checksums");
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
  });

  for (const algorithm of ALGORITHMS) {
    it(`${algorithm}: a PUT is read back and verified; a body other than declared is stored by RGW, then rejected`, {
      timeout: 60_000,
    }, async () => {
      const data = bytes(200 * 1024, 3);
      const value = await checksumOf(algorithm, data);
      const good = (
        await createUpload(h, token, `put-${algorithm}`, {
          name: "a.bin",
          type: OCTETS,
          size: data.length,
          [algorithm]: value,
        } as never)
      ).body.uploads[0];
      expect((await putWith(good, data)).status).toBe(200);
      proxy.reset();
      const ok = await complete(h, token, good.id);
      expect(ok.res.status, JSON.stringify(ok.body)).toBe(200);
      expect(proxy.reads.objectBytes).toBe(data.length + SNIFF_BYTES);

      const bad = (
        await createUpload(h, token, `put-${algorithm}`, {
          name: "b.bin",
          type: OCTETS,
          size: data.length,
          [algorithm]: value,
        } as never)
      ).body.uploads[0];
      const other = data.slice();
      other[7] = (other[7]! + 1) % 256;
      // RGW 16 takes a body whose signed checksum does not match: only the read-back catches it.
      expect((await putWith(bad, other)).status).toBe(200);
      const refused = await complete(h, token, bad.id);
      expect(refused.res.status).toBe(422);
      expect(refused.body.error).toMatchObject({
        code: "VERIFY_CHECKSUM_MISMATCH",
        details: {
          checksumVerifiedBy: "gateway",
          expected: value,
          actual: await checksumOf(algorithm, other),
        },
      });
    });

    it(`${algorithm}: a multipart upload is read back once and checked part by part`, {
      timeout: 120_000,
    }, async () => {
      const data = bytes(11 * MiB, 4);
      const mp = (
        await createUpload(h, token, `mp-${algorithm}`, { name: "c.bin", type: OCTETS, size: data.length })
      ).body.uploads[0];
      const parts = await sendParts(h, token, mp, data);
      const whole = algorithm === "sha256" ? {} : { [algorithm]: await checksumOf(algorithm, data) };
      proxy.reset();
      const done = await complete(h, token, mp.id, { parts, ...whole });
      expect(done.res.status, JSON.stringify(done.body)).toBe(200);
      expect(proxy.reads.objectBytes).toBe(data.length + SNIFF_BYTES);

      // A part whose bytes are not the ones its signed checksum names: RGW stores it anyway.
      const mp2 = (
        await createUpload(h, token, `mp-${algorithm}`, { name: "d.bin", type: OCTETS, size: data.length })
      ).body.uploads[0];
      const sent = await sendParts(h, token, mp2, data, [1, 2]);
      const tampered = data.slice(10 * MiB);
      tampered[0] = (tampered[0]! + 1) % 256;
      const res = await h.api(`/v1/uploads/${mp2.id}/parts`, {
        token,
        body: {
          partNumbers: [3],
          [algorithm]: { "3": await checksumOf(algorithm, data.subarray(10 * MiB)) },
        },
      });
      const [part3] = (
        (await res.json()) as { parts: Array<{ url: string; headers: Record<string, string> }> }
      ).parts;
      const put3 = await putWith(part3!, tampered);
      expect(put3.status).toBe(200);
      const parts2 = [
        ...sent,
        {
          partNumber: 3,
          etag: put3.headers.get("etag")!,
          [algorithm]: await checksumOf(algorithm, data.subarray(10 * MiB)),
        },
      ];
      const refused = await complete(h, token, mp2.id, { parts: parts2, ...whole });
      expect(refused.res.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body.error).toMatchObject({
        code: "VERIFY_CHECKSUM_MISMATCH",
        details: { checksumVerifiedBy: "gateway", partNumber: 3 },
      });
    });
  }
});
