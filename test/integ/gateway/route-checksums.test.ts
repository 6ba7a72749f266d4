import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouteChecksumAlgorithm } from "../../../src/core/protocol.js";
import { SNIFF_BYTES } from "../../../src/server/verify/sniff.js";
import { type RgwGateway, startRgwGateway } from "../../rgw/gateway.js";
import { type CountingProxy, startCountingProxy } from "../../support/counting-proxy.js";
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION } from "../../support/store-fixture.js";
import { checksumOf, sendParts } from "./signed-parts.js";
import {
  bytes,
  complete,
  createUpload,
  type Harness,
  JWT_SECRET,
  MiB,
  postForm,
  putWith,
  signToken,
  startGateway,
} from "./support.js";

const ALGORITHMS: RouteChecksumAlgorithm[] = ["sha256", "crc64nvme", "crc32c"];
const OCTETS = "application/octet-stream";

/** Per algorithm a PUT, a POST and a multipart route; every file a route takes is checked with it. */
function routesFor(algorithm: RouteChecksumAlgorithm) {
  const checksum = { algorithm };
  return {
    [`put-${algorithm}`]: { types: [OCTETS], maxSize: "10MB", strategy: "put", checksum },
    [`post-${algorithm}`]: { types: [OCTETS], maxSize: "10MB", strategy: "post", checksum },
    [`mp-${algorithm}`]: {
      types: [OCTETS],
      maxSize: "100MB",
      strategy: "multipart",
      partSize: "5MB",
      // A sha256 route that required the file's SHA-256 would read multipart objects whole (S3 keeps
      // only the parts' composite); CRC routes take the whole-file value at Complete.
      checksum: { mode: algorithm === "sha256" ? "optional" : "required", algorithm },
    },
  } as const;
}

/**
 * The gateway in front of the embedded store, through a proxy that counts what the gateway reads
 * from storage: with the store's checksums, verification reads only the sniff's first bytes; with
 * a backend that keeps none (the proxy dropping them, as Ceph RGW 16 answers), it reads everything.
 */
describe("route checksum algorithms, end to end on the embedded store", () => {
  let store: Harness;
  let proxy: CountingProxy;
  let blindProxy: CountingProxy;
  let h: RgwGateway;
  let blind: RgwGateway;
  let token: string;
  const config = {
    auth: { jwt: { secret: JWT_SECRET } },
    routes: Object.assign({}, ...ALGORITHMS.map(routesFor)),
  };
  const storageAt = (endpoint: string) => ({
    endpoint,
    region: TEST_REGION,
    bucket: TEST_BUCKET,
    credentials: { ...TEST_CREDENTIALS },
    forcePathStyle: true,
  });

  beforeAll(async () => {
    store = await startGateway();
    proxy = await startCountingProxy(store.storeUrl);
    blindProxy = await startCountingProxy(store.storeUrl, { stripChecksums: true });
    h = startRgwGateway(storageAt(proxy.url), config);
    blind = startRgwGateway(storageAt(blindProxy.url), config);
    token = await signToken("dana");
  });
  afterAll(async () => {
    await h?.close();
    await blind?.close();
    await proxy?.close();
    await blindProxy?.close();
    await store?.close();
  });

  describe.each(ALGORITHMS)("%s", (algorithm) => {
    const data = bytes(11 * MiB, ALGORITHMS.indexOf(algorithm) + 11);
    const small = bytes(300 * 1024, 5);
    const file = (d: Uint8Array, extra: Record<string, unknown> = {}) => ({
      name: "f.bin",
      type: OCTETS,
      size: d.length,
      ...extra,
    });

    it("PUT: signs the declared value, storage keeps it, verification reads only the sniff", async () => {
      const value = await checksumOf(algorithm, small);
      const { res, body } = await createUpload(
        h,
        token,
        `put-${algorithm}`,
        file(small, { [algorithm]: value }),
      );
      expect(res.status, JSON.stringify(body)).toBe(201);
      const [put] = body.uploads;
      expect(put.checksumAlgorithm).toBe(algorithm);
      expect(put.headers[`x-amz-checksum-${algorithm}`]).toBe(value);
      expect((await putWith(put, small)).status).toBe(200);
      proxy.reset();
      const done = await complete(h, token, put.id);
      expect(done.res.status, JSON.stringify(done.body)).toBe(200);
      expect(proxy.reads.objectBytes).toBeLessThanOrEqual(SNIFF_BYTES);
      expect(done.body.upload).toMatchObject({ status: "verified", [algorithm]: value });
      const row = await h.gateway.ledger.get(put.id);
      expect(row).toMatchObject({ checksumAlgorithm: algorithm, checksum: value });
    });

    it("PUT: a body other than the declared one is refused by storage; complete says not uploaded", async () => {
      const value = await checksumOf(algorithm, small);
      const { body } = await createUpload(h, token, `put-${algorithm}`, file(small, { [algorithm]: value }));
      const other = small.slice();
      other[0] = (other[0]! + 1) % 256;
      const res = await putWith(body.uploads[0], other);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("<Code>BadDigest</Code>");
      expect((await complete(h, token, body.uploads[0].id)).body.error.code).toBe("UPLOAD_NOT_UPLOADED");
    });

    it("POST: the form pins the value; the upload verifies reading only the sniff", async () => {
      const value = await checksumOf(algorithm, small);
      const { body } = await createUpload(h, token, `post-${algorithm}`, file(small, { [algorithm]: value }));
      const [form] = body.uploads;
      expect(form.checksumAlgorithm).toBe(algorithm);
      expect(form.fields[`x-amz-checksum-${algorithm}`]).toBe(value);
      expect((await postForm(form, small, OCTETS)).status).toBe(204);
      proxy.reset();
      const done = await complete(h, token, form.id);
      expect(done.res.status, JSON.stringify(done.body)).toBe(200);
      expect(proxy.reads.objectBytes).toBeLessThanOrEqual(SNIFF_BYTES);
    });

    it("refuses another algorithm's field, naming the route's", async () => {
      const other = algorithm === "sha256" ? "crc64nvme" : "sha256";
      const { res, body } = await createUpload(
        h,
        token,
        `put-${algorithm}`,
        file(small, { [other]: await checksumOf(other, small) }),
      );
      expect(res.status).toBe(400);
      expect(body.error.code).toBe("VALIDATION_FAILED");
      expect(body.error.message).toContain(`declare ${algorithm}, not ${other}`);
    });

    it(`multipart: ${algorithm === "sha256" ? "COMPOSITE" : "FULL_OBJECT"} checksum kept by storage; completion reads only the sniff`, async () => {
      const { body } = await createUpload(h, token, `mp-${algorithm}`, file(data));
      const [mp] = body.uploads;
      expect(mp.checksumAlgorithm).toBe(algorithm);
      const parts = await sendParts(h, token, mp, data);
      const whole = algorithm === "sha256" ? {} : { [algorithm]: await checksumOf(algorithm, data) };
      proxy.reset();
      const done = await complete(h, token, mp.id, { parts, ...whole });
      expect(done.res.status, JSON.stringify(done.body)).toBe(200);
      expect(proxy.reads.objectBytes).toBeLessThanOrEqual(SNIFF_BYTES);
      const head = await h.gateway.storage.head(mp.key);
      const row = await h.gateway.ledger.get(mp.id);
      expect(row?.checksum).toBe(head!.checksums[algorithm]);
      if (algorithm === "sha256") expect(row?.checksum).toMatch(/-3$/);
      else expect(row?.checksum).toBe(whole[algorithm]);
    });

    it("multipart on a backend that keeps no checksum: the gateway reads it once and checks it", async () => {
      const { body } = await createUpload(blind, token, `mp-${algorithm}`, file(data));
      const [mp] = body.uploads;
      const parts = await sendParts(blind, token, mp, data);
      const whole = algorithm === "sha256" ? {} : { [algorithm]: await checksumOf(algorithm, data) };
      blindProxy.reset();
      const done = await complete(blind, token, mp.id, { parts, ...whole });
      expect(done.res.status, JSON.stringify(done.body)).toBe(200);
      expect(blindProxy.reads.objectBytes).toBe(data.length + SNIFF_BYTES);
    });

    if (algorithm !== "sha256") {
      it("multipart: a whole-file CRC that is not the parts' combined is refused before storage", async () => {
        const { body } = await createUpload(h, token, `mp-${algorithm}`, file(data));
        const [mp] = body.uploads;
        const parts = await sendParts(h, token, mp, data);
        const wrong = await checksumOf(algorithm, data.subarray(1));
        const done = await complete(h, token, mp.id, { parts, [algorithm]: wrong });
        expect(done.res.status).toBe(400);
        expect(done.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: algorithm } });
      });

      it("multipart: storage refuses a whole-file CRC given alone that is not the object's", async () => {
        const { body } = await createUpload(h, token, `mp-${algorithm}`, file(data));
        const [mp] = body.uploads;
        const parts = (await sendParts(h, token, mp, data)).map(({ partNumber, etag }) => ({
          partNumber,
          etag,
        }));
        const wrong = await checksumOf(algorithm, data.subarray(1));
        const done = await complete(h, token, mp.id, { parts, [algorithm]: wrong });
        expect(done.res.status, JSON.stringify(done.body)).toBe(422);
        expect(done.body.error.code).toBe("VERIFY_CHECKSUM_MISMATCH");
        const right = await complete(h, token, mp.id, {
          parts,
          [algorithm]: await checksumOf(algorithm, data),
        });
        expect(right.res.status, JSON.stringify(right.body)).toBe(200);
      });

      it("multipart on a required route: Complete without any CRC is refused", async () => {
        const { body } = await createUpload(h, token, `mp-${algorithm}`, file(data));
        const done = await complete(h, token, body.uploads[0].id, { parts: [] });
        expect(done.body.error.code).toBe("POLICY_CHECKSUM_REQUIRED");
      });
    }
  });
});
