/**
 * examples/react, bundled with esbuild and served by `upgate dev` with the example's routes, in
 * Chromium: a PNG, a PDF, a .docx the browser gives no type, a refused fake PNG, and a 60 MB
 * multipart file paused, resumed, then cut by a reload and resumed from the parts storage holds.
 * Screenshots of each state go to test-results/screenshots/react/.
 */
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { ledgerRows, storedSha256 } from "../browser/support/checks.js";
import { describeInChromium } from "../browser/support/chromium.js";
import { withChromiumAndStack } from "../browser/support/chromium-and-stack.js";
import { MiB, pngImage, sha256, sha256OfFile, writeRandomFile } from "../browser/support/files.js";
import { throttleUploads } from "../browser/support/page.js";
import { partPutsSettled, settledStoredParts, somePartStored } from "../browser/support/part-waits.js";
import { docxDocument, fakePng, pdfDocument } from "./support/files.js";
import { type ExamplePage, openExample, screenshot } from "./support/page.js";
import { startExampleStack } from "./support/stack.js";

const USER = "react-example";
const BIG = 60 * MiB;
const PART = 8 * MiB;
const PARTS = Math.ceil(BIG / PART);

const section = (page: Page, route: string) => page.locator(`section[data-route="${route}"]`);
const dropzoneInput = (page: Page, route: string) =>
  section(page, route).locator("button.dropzone ~ input[type=file]");
const row = (page: Page, name: string): Locator =>
  page.locator("li.file").filter({ has: page.locator(".file-name", { hasText: name }) });

async function stateOf(page: Page, name: string): Promise<string | null> {
  return row(page, name).getAttribute("data-state");
}

/** Waits for a file's row to reach `state`; another final state fails at once, with the row's error. */
async function waitForState(page: Page, name: string, state: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const now = await stateOf(page, name);
    if (now === state) return;
    if (["done", "failed", "cancelled"].includes(now ?? "") || Date.now() > deadline) {
      const error = await row(page, name)
        .locator(".error")
        .textContent({ timeout: 100 })
        .catch(() => null);
      throw new Error(`${name} is ${now}, not ${state}${error ? `: ${error}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForPercent(page: Page, name: string, percent: number): Promise<void> {
  await expect
    .poll(async () => Number((await row(page, name).getAttribute("data-percent")) ?? 0), {
      timeout: 60_000,
      interval: 50,
    })
    .toBeGreaterThanOrEqual(percent);
}

describeInChromium("examples/react against upgate dev", () => {
  const suite = withChromiumAndStack(() => startExampleStack("react"), 60_000);
  let example: ExamplePage;

  beforeAll(async () => {
    example = await openExample(suite.browser, suite.stack.gatewayUrl);
  }, 60_000);

  it("shows each route's rules from GET /v1/routes, and a keyboard-operable dropzone", async () => {
    const { page } = example;
    await expect
      .poll(() => section(page, "images").locator(".rules").textContent(), { timeout: 30_000 })
      .toMatch(/PNG.*up to 10 MB/);
    const zone = section(page, "images").locator("button.dropzone");
    expect(await zone.getAttribute("data-state")).toBe("idle");
    // The rules describe the dropzone for screen readers; the picker accepts the route's types and extensions.
    const described = await zone.getAttribute("aria-describedby");
    expect(await page.locator(`[id="${described}"]`).textContent()).toMatch(/PNG.*up to 10 MB/);
    expect(await dropzoneInput(page, "images").getAttribute("accept")).toContain(".png");
    expect(await dropzoneInput(page, "archives").getAttribute("accept")).toBeNull();
    // Enter and Space on the focused dropzone open the file picker (the hidden input is clicked).
    await dropzoneInput(page, "images").evaluate((element) => {
      // The page's DOM, typed as much as used (the Node type-check has no DOM library).
      const input = element as unknown as {
        addEventListener(type: string, listener: (e: Event) => void): void;
      };
      const counter = globalThis as unknown as { __picks?: number };
      input.addEventListener("click", (event) => {
        event.preventDefault();
        counter.__picks = (counter.__picks ?? 0) + 1;
      });
    });
    await zone.focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Space");
    expect(await page.evaluate("globalThis.__picks")).toBe(2);
    await screenshot(page, "react", "01-ready");
  });

  it("uploads a PNG and a PDF to verified, and announces it", async () => {
    const { page } = example;
    const png = pngImage(320, 200);
    await dropzoneInput(page, "images").setInputFiles({
      name: "gradient.png",
      mimeType: "image/png",
      buffer: png,
    });
    const pdf = pdfDocument();
    await dropzoneInput(page, "documents").setInputFiles({
      name: "report.pdf",
      mimeType: "application/pdf",
      buffer: pdf,
    });
    await waitForState(page, "gradient.png", "done");
    await waitForState(page, "report.pdf", "done");
    expect(await row(page, "gradient.png").locator(".status").textContent()).toBe("Uploaded and verified");
    expect(await section(page, "images").locator("[role=status]").textContent()).toBe(
      "gradient.png: uploaded and verified",
    );
    expect(await section(page, "images").locator("button.dropzone").getAttribute("data-state")).toBe("done");
    const rows = await ledgerRows(suite.stack, USER);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get("gradient.png")?.status).toBe("verified");
    expect(byName.get("report.pdf")?.status).toBe("verified");
    expect(await storedSha256(suite.stack, byName.get("gradient.png")!.key)).toBe(sha256(png));
    await screenshot(page, "react", "02-png-and-pdf-verified");
  });

  it("uploads a .docx the browser gives no type (typed from its extension)", async () => {
    const { page } = example;
    // setInputFiles would type it from its extension: build the File in the page, as a browser without a .docx type does.
    const type = await dropzoneInput(page, "documents").evaluate(
      (element, bytes: number[]) => {
        // The page's DOM, typed here as much as used (the Node type-check has no DOM library).
        const input = element as unknown as { files: unknown; dispatchEvent(event: Event): void };
        const { DataTransfer } = globalThis as unknown as {
          DataTransfer: new () => { items: { add(file: File): void }; files: unknown };
        };
        const file = new File([new Uint8Array(bytes)], "notes.docx", { type: "" });
        const transfer = new DataTransfer();
        transfer.items.add(file);
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        return file.type;
      },
      [...docxDocument()],
    );
    expect(type).toBe("");
    await waitForState(page, "notes.docx", "done");
    const [docx] = (await ledgerRows(suite.stack, USER)).filter((r) => r.name === "notes.docx");
    expect([docx?.status, docx?.declaredType]).toEqual([
      "verified",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]);
    await screenshot(page, "react", "03-docx-verified");
  });

  it("refuses a .png that is not a PNG, in plain words naming what it is, with a retry", async () => {
    const { page } = example;
    await dropzoneInput(page, "images").setInputFiles({
      name: "fake.png",
      mimeType: "image/png",
      buffer: fakePng(),
    });
    await waitForState(page, "fake.png", "failed");
    const error = await row(page, "fake.png").locator(".error").textContent();
    expect(error).toBe("fake.png: rejected: its content is application/pdf, not image/png");
    expect(await section(page, "images").locator("[role=status]").textContent()).toBe(error);
    expect(await row(page, "fake.png").getByRole("button", { name: "Retry fake.png" }).isVisible()).toBe(
      true,
    );
    expect(await section(page, "images").locator("button.dropzone").getAttribute("data-state")).toBe(
      "failed",
    );
    const [refused] = (await ledgerRows(suite.stack, USER)).filter((r) => r.name === "fake.png");
    expect(refused?.status).toBe("rejected");
    await screenshot(page, "react", "04-fake-png-refused");
  });

  it("a 60 MB multipart upload pauses, resumes, and after a reload resumes from the parts storage holds", async () => {
    const { page } = example;
    const file = join(suite.stack.dir, "backup.bin");
    await writeRandomFile(file, BIG);
    await throttleUploads(page, 12 * MiB);
    suite.stack.log.clear();
    await dropzoneInput(page, "archives").setInputFiles(file);
    await waitForPercent(page, "backup.bin", 15);
    await screenshot(page, "react", "05-multipart-uploading");
    expect(await row(page, "backup.bin").locator(".speed").textContent()).toMatch(/\/s, \d+ s left$/);

    await page.getByRole("button", { name: "Pause backup.bin" }).click();
    await waitForState(page, "backup.bin", "paused");
    // Paused: the parts in flight were cut and nothing more is sent.
    await partPutsSettled(suite.stack);
    const putsWhenPaused = suite.stack.log.partPuts().length;
    const percentPaused = Number(await row(page, "backup.bin").getAttribute("data-percent"));
    await new Promise((r) => setTimeout(r, 1000));
    expect(suite.stack.log.partPuts().length).toBe(putsWhenPaused);
    expect(Number(await row(page, "backup.bin").getAttribute("data-percent"))).toBe(percentPaused);
    expect(await section(page, "archives").locator("[role=status]").textContent()).toBe("backup.bin: paused");
    await screenshot(page, "react", "06-multipart-paused");

    await page.getByRole("button", { name: "Resume backup.bin" }).click();
    await waitForState(page, "backup.bin", "uploading");
    await waitForPercent(page, "backup.bin", Math.max(50, percentPaused + 10));
    await screenshot(page, "react", "07-multipart-resumed");

    // Four 8 MiB parts are in flight at once, so 50 % sent may be no part stored yet: reload once
    // storage holds one of them.
    await somePartStored(suite.stack);
    await page.reload();
    await partPutsSettled(suite.stack);
    const [pending] = (await ledgerRows(suite.stack, USER)).filter((r) => r.name === "backup.bin");
    expect(pending?.status).toBe("pending");
    const stored = await settledStoredParts(suite.stack, pending!);
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect(stored.length).toBeLessThan(PARTS);

    // The page offers to resume it, with what this browser saw stored.
    const offer = section(page, "archives").getByRole("button", {
      name: /^Resume backup\.bin \(\d+% stored\)$/,
    });
    await offer.waitFor();
    const offered = Number((await offer.textContent())!.match(/\((\d+)% stored\)/)![1]);
    expect(offered).toBeGreaterThan(0);
    expect(offered).toBeLessThanOrEqual(Math.floor((stored.length * PART * 100) / BIG));
    await screenshot(page, "react", "08-offer-after-reload");

    // Another file is refused, saying which file to pick.
    const picker = section(page, "archives").getByLabel("Pick backup.bin again to resume it");
    await picker.setInputFiles({ name: "other.bin", mimeType: "", buffer: Buffer.alloc(10) });
    expect(await section(page, "archives").locator(".offer .error").textContent()).toBe(
      "other.bin is not the unfinished backup.bin: pick that file to resume it",
    );

    // Every percent the row shows while uploading, recorded in the page as it changes.
    await page.evaluate(() => {
      // The page's DOM, typed as much as used (the Node type-check has no DOM library).
      type Row = { dataset: { state?: string; percent?: string }; textContent: string | null };
      const dom = globalThis as unknown as {
        __percents: number[];
        document: { body: unknown; querySelectorAll(selector: string): Row[] };
        MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
      };
      dom.__percents = [];
      new dom.MutationObserver(() => {
        for (const row of dom.document.querySelectorAll("li.file")) {
          if (row.textContent?.includes("backup.bin") && row.dataset.state === "uploading")
            dom.__percents.push(Number(row.dataset.percent));
        }
      }).observe(dom.document.body, { subtree: true, childList: true, attributes: true });
    });
    suite.stack.log.clear();
    await picker.setInputFiles(file);
    await waitForState(page, "backup.bin", "done");
    // Progress starts from the bytes storage held, not from zero.
    const percents = await page.evaluate(
      () => (globalThis as unknown as { __percents: number[] }).__percents,
    );
    expect(percents.length).toBeGreaterThan(0);
    expect(Math.min(...percents)).toBeGreaterThanOrEqual(Math.floor((stored.length * PART * 100) / BIG));
    const sent = suite.stack.log
      .partPuts()
      .map((p) => p.partNumber!)
      .sort((a, b) => a - b);
    const missing = Array.from({ length: PARTS }, (_, i) => i + 1).filter((n) => !stored.includes(n));
    expect(sent).toEqual(missing);
    expect(await section(page, "archives").locator(".offer").count()).toBe(0);
    const [done] = (await ledgerRows(suite.stack, USER)).filter((r) => r.name === "backup.bin");
    expect(done?.status).toBe("verified");
    expect(await storedSha256(suite.stack, done!.key)).toBe(await sha256OfFile(file));
    await screenshot(page, "react", "09-resumed-after-reload-verified");
  });

  it("fits a 390 px wide phone screen without sideways scrolling", async () => {
    const { page } = example;
    await page.setViewportSize({ width: 390, height: 844 });
    await dropzoneInput(page, "images").setInputFiles({
      name: "a-rather-long-file-name-for-a-narrow-screen.png",
      mimeType: "image/png",
      buffer: pngImage(64, 64),
    });
    await waitForState(page, "a-rather-long-file-name-for-a-narrow-screen.png", "done");
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await screenshot(page, "react", "10-narrow-390px");
  });

  it("raised no error in the page", () => {
    expect(example.errors).toEqual([]);
  });
});
