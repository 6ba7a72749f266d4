/**
 * Completion without the browser: the tab closes right after its PUT, before it can complete. The
 * dev stack's sweeper (every second here) verifies the upload within one interval of its URL
 * lapsing, and it downloads byte-identical.
 */
import type { Route } from "playwright-core";
import { expect, it } from "vitest";
import { DEV_ROUTES } from "../../src/cli/dev-routes.js";
import { ledgerRows } from "./support/checks.js";
import { describeInChromium } from "./support/chromium.js";
import { withChromiumAndStack } from "./support/chromium-and-stack.js";
import { pngImage, sha256 } from "./support/files.js";
import { openDemo } from "./support/page.js";
import { startTestStack } from "./support/stack.js";

const INTERVAL_MS = 1_000;

describeInChromium("the demo page: a tab closed before its complete", () => {
  const suite = withChromiumAndStack(() =>
    startTestStack({
      // URLs that lapse soon, so the test need not wait minutes for the sweeper to act.
      routes: { ...DEV_ROUTES, images: { ...DEV_ROUTES.images!, expiresIn: "4s" } },
      sweep: { interval: `${INTERVAL_MS}ms`, grace: "1m" },
    }),
  );
  const png = pngImage(48, 32);

  it("is verified by the sweeper within an interval of its URL lapsing, and downloads byte-identical", async () => {
    const demo = await openDemo(suite.browser, suite.stack, "grace");
    const { page } = demo;
    const completeAsked = new Promise<void>((resolve) => {
      // The complete never leaves the tab: the tab closes as it would be sent.
      void page.route("**/v1/uploads/*/complete", async (route: Route) => {
        await route.abort();
        resolve();
      });
    });
    suite.stack.log.clear();
    await page.setInputFiles("#picker", { name: "left.png", mimeType: "image/png", buffer: png });
    await completeAsked;
    await demo.context.close();
    const closedAt = Date.now();
    // The PUT landed; nobody completed.
    expect(suite.stack.log.writes().map((r) => [r.method, r.status])).toEqual([["PUT", 200]]);
    const [pending] = await ledgerRows(suite.stack, "grace");
    expect([pending!.name, pending!.status]).toEqual(["left.png", "pending"]);

    const lapse = pending!.expiresAt.getTime();
    const deadline = Math.max(closedAt, lapse) + INTERVAL_MS * 1.1 + 15_000;
    let row = pending!;
    while (row.status !== "verified" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      row = (await suite.stack.gateway.ledger.get(row.id))!;
    }
    expect(row.status).toBe("verified");
    expect(row.sha256).toBe(sha256(png));
    // After the URL lapsed, and within one interval (give or take a tenth) plus the sweep's own time.
    const completedAt = row.completedAt!.getTime();
    expect(completedAt).toBeGreaterThanOrEqual(lapse);
    expect(completedAt - lapse).toBeLessThan(INTERVAL_MS * 1.1 + 2_000);

    // GET /v1/files/:id as the uploader redirects to the verified bytes.
    const session = await fetch(`${suite.stack.gatewayUrl}/v1/dev/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "grace" }),
    });
    const { token } = (await session.json()) as { token: string };
    const redirect = await fetch(`${suite.stack.gatewayUrl}/v1/files/${row.id}`, {
      headers: { authorization: `Bearer ${token}` },
      redirect: "manual",
    });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get("location")!);
    expect(location.origin).toBe(suite.stack.storeUrl);
    const downloaded = new Uint8Array(await (await fetch(location)).arrayBuffer());
    expect(sha256(downloaded)).toBe(sha256(png));
    expect(demo.errors).toEqual([]);
  });
});
