/**
 * Storage unreachable in the middle of a completion, not before it (storage-outage.test.ts covers a
 * store that is already down): a proxy between the gateway and the store cuts the storage off at a
 * chosen request of the completion. Each time the complete answers 503 STORAGE_UNAVAILABLE, the
 * upload stays "uploaded", and once the storage is back a retried complete verifies it, with its
 * bytes intact and the quota counting it once.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sendParts } from "../integ/gateway/signed-parts.js";
import {
  bytes,
  complete,
  createUpload,
  type Harness,
  PNG_1X1,
  putPng,
  sha256b64,
  signToken,
  startGateway,
} from "../integ/gateway/support.js";
import { type CutMode, type CutProxy, startCutProxy } from "./cut-proxy.js";
import { newTally } from "./model.js";
import { describeTally, FAULT_ROUNDS, recordTotals, roundName } from "./report.js";

const tally = newTally();

describe("storage cut off in the middle of a completion", () => {
  let h: Harness;
  let proxy: CutProxy;
  let token: string;
  const user = "dana";

  beforeAll(async () => {
    proxy = await startCutProxy();
    h = await startGateway({
      storage: { endpoint: proxy.url },
      routes: {
        images: { types: ["image/png"], maxSize: "1MB" },
        parts: { types: ["application/octet-stream"], maxSize: "1MB", strategy: "multipart", sniff: false },
      },
    });
    proxy.target = h.storeUrl;
    token = await signToken(user);
  });

  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    console.log(describeTally("storage cut mid-completion", tally));
    recordTotals("storage cut mid-completion", tally);
  });

  async function cutDuringComplete(id: string, match: Parameters<CutProxy["cutAt"]>[0], mode: CutMode) {
    const cutsBefore = proxy.cuts;
    proxy.cutAt(match, mode);
    const down = await complete(h, token, id);
    proxy.restore();
    expect(proxy.cuts, "the proxy cut the storage off").toBeGreaterThan(cutsBefore);
    tally.faultsInjected++;
    expect(down.res.status).toBe(503);
    expect(down.body.error.code).toBe("STORAGE_UNAVAILABLE");
    expect((await h.gateway.ledger.get(id))?.status).toBe("uploaded");
  }

  for (let round = 0; round < FAULT_ROUNDS; round++) {
    test(`after the HEAD, at the ranged GET that sniffs the type: the retry verifies it${roundName(round)}`, async () => {
      const put = await putPng(h, token);

      await cutDuringComplete(
        put.id,
        (req) => req.method === "GET" && req.headers.range !== undefined,
        "before",
      );

      const retried = await complete(h, token, put.id);
      expect(retried.res.status).toBe(200);
      expect(retried.body.upload.status).toBe("verified");
      expect((await h.gateway.storage.head(put.key))?.size).toBe(PNG_1X1.length);
      tally.faultsSurvived++;
    });

    const completeMultipart = (req: { method?: string; url?: string }) =>
      req.method === "POST" && (req.url ?? "").includes("uploadId=");

    test.each<[string, CutMode]>([
      ["right after CompleteMultipartUpload, before the verification", "after"],
      ["during CompleteMultipartUpload: the store completes the object, its answer is lost", "swallow"],
    ])(
      `multipart, %s: the retry finds the upload assembled and verifies it${roundName(round)}`,
      async (_, mode) => {
        const data = bytes(70_000, 10 * round + (mode === "after" ? 3 : 4));
        const { body } = await createUpload(h, token, "parts", {
          name: "b.bin",
          type: "application/octet-stream",
          size: data.length,
          sha256: sha256b64(data),
        });
        const instruction = body.uploads[0];
        expect(instruction.method).toBe("MULTIPART");
        // Its one part, sent with its SHA-256 signed (a COMPOSITE SHA-256 upload).
        expect(await sendParts(h, token, instruction, data)).toHaveLength(1);

        await cutDuringComplete(instruction.id, completeMultipart, mode);
        // Whatever the gateway saw, the store assembled the object and closed the multipart upload.
        expect((await h.gateway.storage.head(instruction.key))?.size).toBe(data.length);
        expect(await h.gateway.storage.listMultipartUploads(`parts/${user}/`)).toEqual([]);

        const retried = await complete(h, token, instruction.id);
        expect(retried.res.status).toBe(200);
        expect(retried.body.upload.status).toBe("verified");
        const stored = await fetch(
          (await h.api(`/v1/files/${instruction.id}`, { token })).headers.get("location")!,
        );
        expect(sha256b64(new Uint8Array(await stored.arrayBuffer()))).toBe(sha256b64(data));
        tally.faultsSurvived++;
      },
    );
  }

  test("the quota counts each retried upload once", async () => {
    const usage = await h.gateway.ledger.usage(user, "parts", undefined, new Date());
    expect(usage).toEqual({ bytes: 140_000 * FAULT_ROUNDS, files: 2 * FAULT_ROUNDS });
  });
});
