import { AwsCrc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme } from "@aws-sdk/crc64-nvme";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUploader, type Uploader } from "../../../src/client/index.js";
import type { UploaderOptions } from "../../../src/client/options.js";
import { memoryStateStore } from "../../../src/client/state/memory.js";
import type { CompleteRequest, CreateUploadsRequest, PartsRequest } from "../../../src/core/protocol.js";
import { bytes, type Harness, MiB, sha256b64, signToken, startGateway } from "../gateway/support.js";
import { routedFetch } from "./support/fake-gateway.js";
import { type RecordingTransport, recordingTransport } from "./support/transports.js";

async function crc(algorithm: "crc64nvme" | "crc32c", data: Uint8Array): Promise<string> {
  const h = algorithm === "crc64nvme" ? new Crc64Nvme() : new AwsCrc32c();
  h.update(data);
  return Buffer.from(await h.digest()).toString("base64");
}

/**
 * The client on CRC routes against the real gateway (issue14-gateway) and the embedded store
 * (issue14-store): the route list tells the client the algorithm, part CRCs are signed, the whole
 * value is combined on the client and kept by storage as a FULL_OBJECT checksum.
 */
describe("client on CRC routes against the real gateway and store", () => {
  let h: Harness;
  let token: string;
  let transport: RecordingTransport;
  let state: ReturnType<typeof memoryStateStore>;
  let calls: Array<{ method: string; path: string; body: unknown }>;
  const endpoint = "http://gateway.test";

  const uploader = (options: Partial<UploaderOptions> = {}): Uploader =>
    createUploader({
      endpoint,
      headers: async () => ({ authorization: `Bearer ${token}` }),
      fetch: routedFetch({
        endpoint,
        async fetch(req) {
          const text = req.method === "POST" ? await req.clone().text() : "";
          calls.push({
            method: req.method,
            path: new URL(req.url).pathname,
            body: text ? JSON.parse(text) : undefined,
          });
          return h.gateway.fetch(req, { clientIp: "192.0.2.7" });
        },
      }),
      transport,
      stateStore: state,
      sleep: async () => {},
      ...options,
    });

  const body = <T>(match: (path: string) => boolean) =>
    calls.filter((c) => match(c.path)).map((c) => c.body as T);

  beforeAll(async () => {
    const multipart = (algorithm: "crc64nvme" | "crc32c") => ({
      types: ["application/octet-stream"],
      maxSize: "100MB",
      strategy: "multipart" as const,
      partSize: "5MB",
      checksum: { mode: "required" as const, algorithm },
    });
    h = await startGateway({
      routes: {
        "crc64-videos": multipart("crc64nvme"),
        "crc32c-videos": multipart("crc32c"),
        "crc64-docs": {
          types: ["application/octet-stream"],
          maxSize: "10MB",
          strategy: "put",
          checksum: { mode: "required", algorithm: "crc64nvme" },
        },
      },
    });
    token = await signToken("dana");
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    transport = recordingTransport();
    state = memoryStateStore();
    calls = [];
  });

  for (const [route, algorithm] of [
    ["crc64-videos", "crc64nvme"],
    ["crc32c-videos", "crc32c"],
  ] as const) {
    it(`multipart on ${algorithm}: part CRCs signed, the combined value sent on complete and kept by storage`, async () => {
      const data = bytes(13 * MiB + 7, 11);
      const [record] = await uploader().upload(
        new File([data], "clip.bin", { type: "application/octet-stream" }),
        {
          route,
        },
      );
      const whole = await crc(algorithm, data);
      expect(record).toMatchObject({
        status: "verified",
        size: data.length,
        checksumAlgorithm: algorithm,
        [algorithm]: whole,
      });
      expect(calls[0]).toMatchObject({ method: "GET", path: "/v1/routes" });
      expect(body<CreateUploadsRequest>((p) => p === "/v1/uploads")[0]!.files[0]).toMatchObject({
        [algorithm]: whole,
      });
      const signed = body<PartsRequest>((p) => p.endsWith("/parts")).flatMap((b) =>
        Object.keys(b[algorithm] ?? {}),
      );
      expect(signed.sort()).toEqual(["1", "2", "3"]);
      const [complete] = body<CompleteRequest>((p) => p.endsWith("/complete"));
      expect(complete![algorithm]).toBe(whole);
      const head = await h.gateway.storage.head(record!.key);
      expect(head!.checksums[algorithm]).toBe(whole);
    });
  }

  it("single PUT on crc64nvme: the whole file's CRC is declared, signed and kept", async () => {
    const data = bytes(2 * MiB + 1, 12);
    const [record] = await uploader().upload(
      new File([data], "doc.bin", { type: "application/octet-stream" }),
      {
        route: "crc64-docs",
      },
    );
    const whole = await crc("crc64nvme", data);
    expect(record).toMatchObject({ status: "verified", crc64nvme: whole });
    expect((await h.gateway.storage.head(record!.key))!.checksums.crc64nvme).toBe(whole);
  });

  it("resume on crc64nvme: only the missing part is sent, and the object is byte-identical", async () => {
    const data = bytes(12 * MiB, 13);
    const file = new File([data], "long.bin", { type: "application/octet-stream", lastModified: 3 });
    transport.before = (_r, n) => {
      if (n === 3) throw new Error("offline");
    };
    const first = await uploader({ retry: { retries: 0 } })
      .upload(file, { route: "crc64-videos" })
      .catch((e: unknown) => e);
    expect(first).toMatchObject({ code: "NETWORK" });
    transport.before = undefined;
    transport.sent.length = 0;
    const [record] = await uploader().upload(file, { route: "crc64-videos" });
    expect(record).toMatchObject({ status: "verified", crc64nvme: await crc("crc64nvme", data) });
    expect(transport.sent.map((s) => s.partNumber)).toEqual([3]);
    const res = await h.api(`/v1/files/${record!.id}`, { token });
    const stored = new Uint8Array(await (await fetch(res.headers.get("location")!)).arrayBuffer());
    expect(sha256b64(stored)).toBe(sha256b64(data));
  });
});
