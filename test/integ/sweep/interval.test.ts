/** gateway.startSweeping(): the sweeper on an interval, completing an abandoned upload by itself. */
import { afterEach, describe, expect, it } from "vitest";
import type { UploadCompleteContext } from "../../../src/server/config/types.js";
import { countStorageCalls } from "../../support/storage-calls.js";
import { createUpload, type Harness, PNG_1X1, putWith, signToken, startGateway } from "../gateway/support.js";

const png = { name: "a.png", type: "image/png", size: PNG_1X1.length };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("gateway.startSweeping()", () => {
  it("verifies an upload nobody completed within an interval of its URL lapsing; close() stops it", async () => {
    const hooks: UploadCompleteContext[] = [];
    h = await startGateway({
      sweep: { interval: "1s", grace: "1m" },
      routes: {
        images: {
          types: ["image/png"],
          maxSize: "1MB",
          expiresIn: "1s",
          onUploadComplete: (ctx) => {
            hooks.push(ctx);
          },
        },
      },
    });
    h.gateway.startSweeping();
    h.gateway.startSweeping(); // a second call changes nothing
    const token = await signToken("alice");
    const put = (await createUpload(h, token, "images", png)).body.uploads[0];
    expect((await putWith(put, PNG_1X1)).status).toBe(200);
    const lapses = Date.now() + 1000;

    await waitFor(async () => (await h!.gateway.ledger.get(put.id))?.status === "verified", 6_000);
    // No sooner than the URL lapsed, and within about an interval of it (slack for a busy machine).
    expect(Date.now()).toBeGreaterThanOrEqual(lapses);
    expect(Date.now() - lapses).toBeLessThan(4_000);
    expect(hooks.map((c) => [c.completedBy, c.upload.id])).toEqual([["sweeper", put.id]]);

    const calls = countStorageCalls(h.gateway.storage);
    await h.gateway.close();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(calls).toEqual({});
  });
});
