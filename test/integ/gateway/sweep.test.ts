import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  complete,
  createUpload,
  type Harness,
  PNG_1X1,
  putWith,
  signToken,
  startGateway,
} from "./support.js";

const png = { name: "a.png", type: "image/png", size: PNG_1X1.length };

/** Writes an object with the gateway's own storage credentials (an orphan no upload owns). */
async function writeOrphan(h: Harness, key: string) {
  const signed = await h.gateway.storage.presignPut(key, { "content-length": String(PNG_1X1.length) }, 60);
  expect((await fetch(signed.url, { method: "PUT", headers: signed.headers, body: PNG_1X1 })).status).toBe(
    200,
  );
}

describe("gateway.sweep()", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGateway({
      sweep: { grace: "1m" },
      routes: {
        images: { types: ["image/png"], maxSize: "1MB", expiresIn: "2m", quota: { files: 2 } },
        custom: { types: ["image/png"], maxSize: "1MB", key: ({ random }) => `elsewhere/${random}.png` },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it("expires abandoned uploads (releasing quota) and deletes orphans under the routes' prefixes only", async () => {
    const token = await signToken("alice");
    const abandoned = (await createUpload(h, token, "images", png)).body.uploads[0];
    const kept = (await createUpload(h, token, "images", png)).body.uploads[0];
    await putWith(kept, PNG_1X1);
    expect((await complete(h, token, kept.id)).res.status).toBe(200);
    expect((await createUpload(h, token, "images", png)).res.status).toBe(429);
    await writeOrphan(h, "images/alice/orphan.png");
    await writeOrphan(h, "elsewhere/not-attributable.png");

    // Nothing younger than the grace, and no upload within its URL lifetime plus grace, is touched.
    const early = await h.gateway.sweep({ now: new Date(Date.now() + 30_000) });
    expect(early.counts).toMatchObject({ expired: 0, deletedObjects: 0 });

    const report = await h.gateway.sweep({ now: new Date(Date.now() + 4 * 60_000) });
    expect(report.expired.map((e) => e.id)).toEqual([abandoned.id]);
    expect(report.deletedObjects.map((d) => d.key)).toEqual(["images/alice/orphan.png"]);
    expect((await h.gateway.ledger.get(abandoned.id))?.status).toBe("expired");
    expect(await h.gateway.storage.head(kept.key)).toBeDefined();
    expect(await h.gateway.storage.head("elsewhere/not-attributable.png")).toBeDefined();
    // The expired upload's quota is free again.
    expect((await createUpload(h, token, "images", png)).res.status).toBe(201);
  });
});
