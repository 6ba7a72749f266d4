// Files above 64 MiB (hashed by the client, the AWS SDK oracle and the fake gateway, all in
// this process) get two minutes: the suite runs beside others on two shared cores.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { ResumeRecord } from "../../../src/client/state/types.js";
import type { CompleteRequest, CreateUploadsRequest, PartsRequest } from "../../../src/core/protocol.js";
import { checksumOf } from "./support/fake-gateway.js";
import { editedCopy, interruptAfterTwoParts } from "./support/resume.js";
import { getBytes } from "./support/s3.js";
import { type ClientRig, fileBytes, MIB, randomFile, startRig } from "./support/setup.js";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("base64");

const bodies = <T>(rig: ClientRig, match: (path: string) => boolean) =>
  rig.gateway.calls.filter((c) => match(c.path)).map((c) => c.body as T);

describe.each(["crc32c", "crc64nvme"] as const)("client: a %s route", (algorithm) => {
  let rig: ClientRig;
  afterEach(async () => {
    await rig?.close();
  });

  const partsOf = (bytes: Uint8Array, partSize: number) => {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += partSize) parts.push(bytes.subarray(i, i + partSize));
    return parts;
  };

  it("declares the file's CRC, signs each part's, and completes with the parts combined (FULL_OBJECT)", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB, checksumAlgorithm: algorithm });
    const file = randomFile(17 * MIB + 3, "movie.mp4", "video/mp4");
    const [record] = await rig.uploader.upload(file, { route: "files" });
    expect(record).toMatchObject({ status: "verified", size: 17 * MIB + 3 });
    const bytes = await fileBytes(file);
    expect(sha((await getBytes(rig.store, record!.key))!)).toBe(sha(bytes));
    const whole = await checksumOf(algorithm, bytes);
    const partCrcs = await Promise.all(partsOf(bytes, 5 * MIB).map((p) => checksumOf(algorithm, p)));

    // The algorithm came from GET /v1/routes, before anything was hashed.
    expect(rig.gateway.calls[0]).toMatchObject({ method: "GET", path: "/v1/routes" });
    const [create] = bodies<CreateUploadsRequest>(rig, (p) => p === "/v1/uploads");
    expect(create!.files[0]).toMatchObject({ [algorithm]: whole });
    expect(create!.files[0]!.sha256).toBeUndefined();

    const signed = new Map<number, string>();
    for (const body of bodies<PartsRequest>(rig, (p) => p.endsWith("/parts"))) {
      expect(body.sha256).toBeUndefined();
      for (const n of body.partNumbers) signed.set(n, body[algorithm]![String(n)]!);
    }
    expect([...signed].sort((a, b) => a[0] - b[0])).toEqual(partCrcs.map((c, i) => [i + 1, c]));

    const [complete] = bodies<CompleteRequest>(rig, (p) => p.endsWith("/complete"));
    expect(complete!.parts!.map((p) => [p.partNumber, p[algorithm], p.sha256])).toEqual(
      partCrcs.map((c, i) => [i + 1, c, undefined]),
    );
    expect(complete![algorithm]).toBe(whole);
  });

  it("a file too big to hash before create gets its whole CRC only from the parts, in one pass", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 16 * MIB, checksumAlgorithm: algorithm });
    const file = randomFile(65 * MIB + 1, "big.bin");
    const [record] = await rig.uploader.upload(file, { route: "files" });
    expect(record!.status).toBe("verified");
    const [create] = bodies<CreateUploadsRequest>(rig, (p) => p === "/v1/uploads");
    expect(create!.files[0]![algorithm]).toBeUndefined();
    const [complete] = bodies<CompleteRequest>(rig, (p) => p.endsWith("/complete"));
    expect(complete![algorithm]).toBe(await checksumOf(algorithm, await fileBytes(file)));
    expect(complete!.parts).toHaveLength(5);
  }, 120_000);

  it("a single PUT signs the whole file's CRC, which storage checks", async () => {
    rig = await startRig({ strategy: "put", checksumAlgorithm: algorithm });
    const file = randomFile(3 * MIB + 5, "doc.bin");
    const [record] = await rig.uploader.upload(file, { route: "files" });
    expect(record!.status).toBe("verified");
    const whole = await checksumOf(algorithm, await fileBytes(file));
    const [create] = bodies<CreateUploadsRequest>(rig, (p) => p === "/v1/uploads");
    expect(create!.files[0]).toMatchObject({ [algorithm]: whole });
    const [complete] = bodies<CompleteRequest>(rig, (p) => p.endsWith("/complete"));
    expect(complete).toEqual({});
  });

  it("storage refuses other bytes under the single PUT's URL: the CRC is signed and checked", async () => {
    rig = await startRig({ strategy: "put", checksumAlgorithm: algorithm }, { retry: { retries: 0 } });
    const file = randomFile(1 * MIB, "doc.bin");
    const headers: Array<Record<string, string>> = [];
    rig.transport.before = async (request) => {
      headers.push(request.headers);
      const bytes = new Uint8Array(await file.arrayBuffer());
      bytes[12345] = bytes[12345]! ^ 1; // same size, one bit flipped in transit
      request.body = new Blob([bytes]);
    };
    const err = await rig.uploader.upload(file, { route: "files" }).catch((e: unknown) => e);
    // Storage answers BadDigest, which the client reports as the file having changed.
    expect(err).toMatchObject({ code: "CHECKSUM" });
    expect(headers[0]![`x-amz-checksum-${algorithm}`]).toBe(
      await checksumOf(algorithm, await fileBytes(file)),
    );
  });

  it("the create answer's algorithm outranks a stale route list: parts follow the upload's", async () => {
    rig = await startRig({
      strategy: "multipart",
      partSize: 5 * MIB,
      checksumAlgorithm: algorithm,
      listedAlgorithm: "sha256",
    });
    // Above 64 MiB nothing is hashed before create, so the stale list costs nothing.
    const file = randomFile(65 * MIB, "late.bin");
    const [record] = await rig.uploader.upload(file, { route: "files" });
    expect(record!.status).toBe("verified");
    for (const body of bodies<PartsRequest>(rig, (p) => p.endsWith("/parts"))) {
      expect(body.sha256).toBeUndefined();
      expect(Object.keys(body[algorithm]!)).toEqual(body.partNumbers.map(String));
    }
    const [complete] = bodies<CompleteRequest>(rig, (p) => p.endsWith("/complete"));
    expect(complete![algorithm]).toBe(await checksumOf(algorithm, await fileBytes(file)));
  }, 120_000);

  describe("resume after a reload", () => {
    /** Every resume record the uploader saves, in order. */
    function recordSaves(): ResumeRecord[] {
      const saved: ResumeRecord[] = [];
      const put = rig.state.put.bind(rig.state);
      rig.state.put = async (record) => {
        saved.push(structuredClone(record));
        await put(record);
      };
      return saved;
    }

    it("keeps the stored parts whose CRC matches, sends the rest, and completes with the combined CRC", async () => {
      rig = await startRig(
        { strategy: "multipart", partSize: 5 * MIB, checksumAlgorithm: algorithm },
        { retry: { retries: 0 } },
      );
      const file = randomFile(12 * MIB, "video.mp4", "video/mp4");
      const saved = recordSaves();
      await interruptAfterTwoParts(rig, file);
      // The record keeps the part CRCs and their algorithm, as it keeps SHA-256s on sha256 routes.
      const bytes = await fileBytes(file);
      const [crc1, crc2] = await Promise.all(partsOf(bytes, 5 * MIB).map((p) => checksumOf(algorithm, p)));
      expect(saved.at(-1)).toMatchObject({ algorithm, partCrcs: { "1": crc1, "2": crc2 } });
      expect(saved.at(-1)!.sha256s).toBeUndefined();

      const [record] = await rig.reload().upload(file, { route: "files" });
      expect(record!.status).toBe("verified");
      expect(rig.transport.sent.map((s) => s.partNumber)).toEqual([3]);
      expect(bodies(rig, (p) => p === "/v1/uploads")).toHaveLength(1);
      const completes = bodies<CompleteRequest>(rig, (p) => p.endsWith("/complete"));
      expect(completes.at(-1)![algorithm]).toBe(await checksumOf(algorithm, await fileBytes(file)));
      expect(rig.state.size).toBe(0);
    });

    it("on storage that keeps no part checksums, compares with the CRCs recorded when the parts were sent", async () => {
      rig = await startRig(
        { strategy: "multipart", partSize: 32 * MIB, checksumAlgorithm: algorithm, hidePartChecksums: true },
        { retry: { retries: 0 } },
      );
      const file = randomFile(70 * MIB, "ceph.bin");
      const saved = recordSaves();
      await interruptAfterTwoParts(rig, file);
      expect(saved.at(-1)).toMatchObject({
        algorithm,
        partCrcs: { "1": expect.any(String), "2": expect.any(String) },
      });

      const { file: edited, bytes } = await editedCopy(file, 40 * MIB, 41 * MIB);
      const [record] = await rig.reload().upload(edited, { route: "files" });
      expect(record!.status).toBe("verified");
      expect(rig.transport.sent.map((s) => s.partNumber).sort()).toEqual([2, 3]);
      expect(sha((await getBytes(rig.store, record!.key))!)).toBe(sha(bytes));
      const completes = bodies<CompleteRequest>(rig, (p) => p.endsWith("/complete"));
      expect(completes.at(-1)![algorithm]).toBe(await checksumOf(algorithm, bytes));
    }, 120_000);
  });
});
