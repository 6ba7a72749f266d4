import { beforeAll, expect, it } from "vitest";
import { ledgerRows } from "./support/checks.js";
import { describeInChromium } from "./support/chromium.js";
import { withChromiumAndStack } from "./support/chromium-and-stack.js";
import { MiB } from "./support/files.js";
import { announcements, cardStatus, type DemoPage, openDemo, screenshot } from "./support/page.js";
import { startTestStack } from "./support/stack.js";

describeInChromium("the demo page: refusals in plain words", () => {
  const suite = withChromiumAndStack(() => startTestStack());
  let demo: DemoPage;

  beforeAll(async () => {
    demo = await openDemo(suite.browser, suite.stack, "dan");
  });

  it("a disallowed type and an oversize file are refused before any byte is sent", async () => {
    const { page } = demo;
    suite.stack.log.clear();
    await page.setInputFiles("#picker", [
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello\n") },
      { name: "huge.png", mimeType: "image/png", buffer: Buffer.alloc(12 * MiB) },
    ]);
    const typeMessage =
      "notes.txt is plain text, not an allowed type for Images (allowed: PNG, JPEG, WebP, GIF)";
    const sizeMessage = "huge.png is too large: 12 MB, limit 10 MB";
    await expect.poll(() => cardStatus(page, "notes.txt").textContent()).toBe(typeMessage);
    await expect.poll(() => cardStatus(page, "huge.png").textContent()).toBe(sizeMessage);
    const said = await announcements(page);
    expect(said).toContain(typeMessage);
    expect(said).toContain(sizeMessage);
    expect(suite.stack.log.writes()).toEqual([]);
    expect(await ledgerRows(suite.stack, "dan")).toEqual([]);
  });

  it("the gateway refuses the same files with the same words when a client skips the page's check", async () => {
    const { page } = demo;
    const messages = await page.evaluate(async () => {
      const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string } })
        .localStorage;
      const token = JSON.parse(storage.getItem("upgate-demo-session")).token as string;
      const response = await fetch("/v1/uploads", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          route: "images",
          files: [
            { name: "notes.txt", type: "text/plain", size: 6 },
            { name: "huge.png", type: "image/png", size: 12 * 1024 * 1024 },
          ],
        }),
      });
      const body = (await response.json()) as {
        error: { details: { problems: Array<{ message: string }> } };
      };
      return [response.status, ...body.error.details.problems.map((p) => p.message)];
    });
    expect(messages).toEqual([
      413,
      "notes.txt is plain text, not an allowed type for Images (allowed: PNG, JPEG, WebP, GIF)",
      "huge.png is too large: 12 MB, limit 10 MB",
    ]);
  });

  it("HTML named .png goes up, then is rejected with a message, and storage keeps nothing", async () => {
    const { page } = demo;
    suite.stack.log.clear();
    const html = Buffer.from("<!doctype html><html><body><script>alert(1)</script></body></html>\n");
    await page.setInputFiles("#picker", { name: "cat.png", mimeType: "image/png", buffer: html });
    // The sniffer may or may not name what the bytes are; either way the words say it is not a PNG.
    const rejected = /^cat\.png: rejected: its content is (?:text\/html, )?not image\/png$/;
    await expect.poll(() => cardStatus(page, "cat.png").textContent(), { timeout: 15_000 }).toMatch(rejected);
    expect(suite.stack.log.writes().map((r) => r.method)).toEqual(["PUT"]);
    const [row] = await ledgerRows(suite.stack, "dan");
    expect([row!.name, row!.status, row!.reason]).toEqual(["cat.png", "rejected", "VERIFY_CONTENT_MISMATCH"]);
    expect(await suite.stack.gateway.storage.head(row!.key)).toBeUndefined();
    await expect
      .poll(() => page.locator("#mine-rows tr", { hasText: "cat.png" }).locator(".badge").textContent())
      .toBe("rejected");
    expect((await announcements(page)).filter((text) => rejected.test(text))).toHaveLength(1);
    await screenshot(page, "error");
    expect(demo.errors).toEqual([]);
  });
});
