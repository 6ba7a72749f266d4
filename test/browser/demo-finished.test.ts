/**
 * The demo page as a new user meets it, at a phone's width (390 px) and a laptop's (1280 px):
 * nothing of a session before sign-in, no sideways scroll, no 404 (favicon), refused and rejected
 * cards without a full bar, "My uploads" that deletes and keeps itself current, the route kept
 * over a reload, a resume offered after one (checked against the file picked), and a gateway on
 * another origin whose failure names CORS. Screenshots of each state go to test-results/screenshots.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { percentOf } from "../../web/src/format.js";
import { ledgerRows, storedSha256 } from "./support/checks.js";
import { describeInChromium } from "./support/chromium.js";
import { withChromiumAndStack } from "./support/chromium-and-stack.js";
import { MiB, pngImage, sha256OfFile, writeRandomFile } from "./support/files.js";
import {
  card,
  cardStatus,
  chooseRoute,
  progressEvents,
  type RecordedProgress,
  screenshot,
  signIn,
  waitForPercent,
} from "./support/page.js";
import { startTestStack } from "./support/stack.js";

/** The dev routes' part size and the page's parts in flight per file. */
const PART = 8 * MiB;
const STREAMS = 3;

const RECORDER = `
  window.__progress = [];
  document.addEventListener("upgate:progress", (event) => {
    window.__progress.push({ ...event.detail, at: performance.now() });
  });
`;

interface Opened {
  page: Page;
  errors: string[];
  /** Every answer of 400 or more the page got, as "status url". */
  failures: string[];
  /** Every URL the page asked for. */
  requested: string[];
}

describeInChromium("the demo page, finished", () => {
  const suite = withChromiumAndStack(() => startTestStack());

  async function open(width: number): Promise<Opened> {
    const context = await suite.browser.newContext({ viewport: { width, height: 900 } });
    await context.addInitScript({ content: RECORDER });
    const page = await context.newPage();
    const opened: Opened = { page, errors: [], failures: [], requested: [] };
    page.on("pageerror", (error) => opened.errors.push(error.message));
    page.on("request", (request) => opened.requested.push(request.url()));
    page.on("response", (response) => {
      if (response.status() >= 400) opened.failures.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(suite.stack.gatewayUrl);
    return opened;
  }

  /** The page is no wider than the window: nothing scrolls sideways. */
  async function expectNoSidewaysScroll(page: Page): Promise<void> {
    const [scroll, width] = (await page.evaluate(
      "[document.documentElement.scrollWidth, window.innerWidth]",
    )) as [number, number];
    expect(scroll, `page is ${scroll} px wide in a ${width} px window`).toBeLessThanOrEqual(width);
  }

  for (const width of [390, 1280]) {
    it(`at ${width} px: sign-in, uploads, refusals, deletes, with no sideways scroll and no 404`, async () => {
      const { page, errors, failures, requested } = await open(width);
      const user = `wide${width}`;
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      // Nothing of a session before sign-in.
      expect(await page.locator("#who").getByText("Signed in as").isVisible()).toBe(false);
      expect(await page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(false);
      await expectNoSidewaysScroll(page);
      await screenshot(page, `demo-${width}-sign-in`);

      await signIn(page, user);
      expect(await page.locator("#who").isVisible()).toBe(true);
      expect(await page.locator("#who").textContent()).toMatch(
        new RegExp(`Signed in as ${user}\\s*Sign out`),
      );
      await chooseRoute(page, "Images");
      const html = Buffer.from("<!doctype html><title>not an image</title>");
      await page.setInputFiles("#picker", [
        { name: "photo.png", mimeType: "image/png", buffer: pngImage(96, 64) },
        { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello\n") },
        { name: "fake.png", mimeType: "image/png", buffer: html },
      ]);
      await expect
        .poll(() => cardStatus(page, "photo.png").textContent(), { timeout: 30_000 })
        .toBe("Uploaded and verified");
      await expect
        .poll(() => cardStatus(page, "fake.png").textContent(), { timeout: 30_000 })
        .toMatch(/^fake\.png: rejected/);
      // Refused before sending, or rejected after: neither card keeps a progress bar.
      for (const name of ["notes.txt", "fake.png"]) {
        expect(await card(page, name).locator("progress").isVisible(), name).toBe(false);
      }
      expect(await card(page, "photo.png").locator("progress").isVisible()).toBe(true);
      // "My uploads" caught up by itself: the verified file and the rejected one.
      const row = (name: string) => page.locator("#mine-rows tr", { hasText: name });
      await expect.poll(() => row("photo.png").locator(".badge").textContent()).toBe("verified");
      await expect.poll(() => row("fake.png").locator(".badge").textContent()).toBe("rejected");
      await expectNoSidewaysScroll(page);
      await screenshot(page, `demo-${width}-uploads`);

      // Delete, from "My uploads": the row goes, and so does the upload at the gateway.
      await row("photo.png").getByRole("button", { name: "Delete photo.png" }).click();
      await expect.poll(() => row("photo.png").count()).toBe(0);
      const rows = await ledgerRows(suite.stack, user);
      expect(rows.find((r) => r.name === "photo.png")?.status).toBe("aborted");
      await expectNoSidewaysScroll(page);
      await screenshot(page, `demo-${width}-after-delete`);

      // The icon is served: no 404 on any load.
      expect(requested.some((url) => url.endsWith("/favicon.svg"))).toBe(true);
      // The only refusal is the verdict on fake.png (422 at complete).
      expect(failures.filter((f) => !/^422 .*\/complete$/.test(f))).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it("after a reload: the route is kept, and the upload is offered for resume from what storage holds", async () => {
    const { page, errors } = await open(1280);
    await signIn(page, "rosa");
    await chooseRoute(page, "Any file");
    const file = join(suite.stack.dir, "big.bin");
    const size = 100 * MiB;
    await writeRandomFile(file, size);
    await page.setInputFiles("#picker", file);
    await waitForPercent(page, "big.bin", 50);
    const events: RecordedProgress[] = await progressEvents(page);
    const sentBeforeReload = events.filter((e) => e.file === "big.bin").at(-1)!.loaded;
    await page.reload();
    await page.getByRole("heading", { name: "Upload files" }).waitFor();
    expect(await page.getByRole("radio", { name: "Any file" }).isChecked()).toBe(true);

    // What storage holds once the parts cut by the reload have ended.
    const [pending] = await ledgerRows(suite.stack, "rosa");
    const listed = async () =>
      (await suite.stack.gateway.storage.listParts(pending!.key, pending!.multipartUploadId!)).map((p) => ({
        n: p.partNumber,
        size: p.size,
      }));
    let held = JSON.stringify(await listed());
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const now = JSON.stringify(await listed());
      if (now === held) break;
      held = now;
    }
    const parts = JSON.parse(held) as Array<{ n: number; size: number }>;
    const stored = parts.reduce((sum, p) => sum + p.size, 0);
    // A reload loses at most one part per stream: the parts in flight.
    expect(stored).toBeGreaterThanOrEqual(sentBeforeReload - STREAMS * PART);
    expect(stored).toBeLessThan(size);

    // Reload again, so the offer is computed from what storage holds now.
    await page.reload();
    const offer = page.getByRole("button", { name: `Resume big.bin (${percentOf(stored, size)}% stored)` });
    await offer.waitFor();
    const row = page.locator("#mine-rows tr", { hasText: "big.bin" });
    await expect.poll(() => row.locator(".badge").textContent()).toBe("not finished");
    expect(await row.getByRole("button", { name: "Resume big.bin" }).isVisible()).toBe(true);
    await screenshot(page, "demo-1280-resume-offer");
    // The same offer on a phone.
    await page.setViewportSize({ width: 390, height: 900 });
    await expectNoSidewaysScroll(page);
    await screenshot(page, "demo-390-resume-offer");
    await page.setViewportSize({ width: 1280, height: 900 });

    // A different file is refused, in words, before anything is sent.
    const other = join(suite.stack.dir, "other.bin");
    await writeFile(other, "not the same file");
    const firstChooser = page.waitForEvent("filechooser");
    await page.evaluate(() => 0);
    await offer.click();
    await (await firstChooser).setFiles(other);
    await expect
      .poll(() => page.locator("li.card.offer .status").textContent())
      .toBe(
        "other.bin is not the big.bin this upload started with (its name, size, date or content differ): choose that file",
      );
    await screenshot(page, "demo-1280-resume-wrong-file");

    suite.stack.log.clear();
    const chooser = page.waitForEvent("filechooser");
    await page.evaluate(() => 0);
    await offer.click();
    await (await chooser).setFiles(file);
    await expect
      .poll(() => cardStatus(page, "big.bin").textContent(), { timeout: 90_000, interval: 200 })
      .toBe("Uploaded and verified");
    const sent = suite.stack.log
      .partPuts()
      .map((p) => p.partNumber!)
      .sort((a, b) => a - b);
    const held2 = new Set(parts.map((p) => p.n));
    const missing = Array.from({ length: Math.ceil(size / PART) }, (_, i) => i + 1).filter(
      (n) => !held2.has(n),
    );
    expect(sent).toEqual(missing);
    // Progress after the resume starts from the bytes storage holds.
    const resumed = (await progressEvents(page)).filter(
      (e) => e.file === "big.bin" && e.phase === "uploading",
    );
    expect(resumed[0]!.loaded).toBeGreaterThanOrEqual(stored);
    const rows = await ledgerRows(suite.stack, "rosa");
    expect(rows.map((r) => [r.name, r.status])).toEqual([["big.bin", "verified"]]);
    expect(await storedSha256(suite.stack, rows[0]!.key)).toBe(await sha256OfFile(file));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("a gateway on another origin without CORS: the first call fails, not retried, naming CORS", async () => {
    const bundle = await build({
      entryPoints: ["src/client/index.ts"],
      bundle: true,
      format: "iife",
      globalName: "upgateClient",
      platform: "browser",
      write: false,
      logLevel: "silent",
    });
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    // A page of an app on its own origin; the dev gateway allows no other origin than its own.
    await page.route("http://app.test/", (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><title>app</title>" }),
    );
    await page.goto("http://app.test/");
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const creates: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().startsWith(suite.stack.gatewayUrl))
        creates.push(request.url());
    });
    const said = await page.evaluate(async (endpoint) => {
      const client = (globalThis as unknown as { upgateClient: typeof import("../../src/client/index.js") })
        .upgateClient;
      const uploader = client.createUploader({ endpoint });
      const file = new File(["hello"], "hello.txt", { type: "text/plain" });
      return uploader.upload(file, { route: "documents" }).then(
        () => "uploaded?",
        (err: unknown) => client.describeError(err),
      );
    }, suite.stack.gatewayUrl);
    // Tried once: a CORS refusal is not a lost connection to retry for seconds.
    expect(creates).toEqual([`${suite.stack.gatewayUrl}/v1/uploads`]);
    const gateway = new URL(suite.stack.gatewayUrl).origin;
    expect(said).toBe(
      `the upload server at ${gateway} could not be reached from this page (http://app.test): if it is running, CORS may be the cause, so allow http://app.test in the gateway's cors.origins`,
    );
    await context.close();
  });
});
