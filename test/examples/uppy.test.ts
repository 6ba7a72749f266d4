/**
 * examples/uppy (Uppy's Dashboard with upgate/uppy and Golden Retriever), bundled with esbuild and
 * served by `upgate dev` with the example's routes, in Chromium: a PNG and a PDF, a .docx the
 * browser gives no type, a file the route's rules refuse at once, a refused fake PNG, and a 60 MB
 * multipart file paused, resumed, then cut by a reload that Golden Retriever restores and the
 * plugin resumes from the parts storage holds. Screenshots go to test-results/screenshots/uppy/.
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

const USER = "uppy-example";
const BIG = 60 * MiB;
const PART = 8 * MiB;
const PARTS = Math.ceil(BIG / PART);

/** An Uppy file as the page's state has it (window.uppy.<route>, set by the example). */
interface FileState {
  name: string;
  isPaused?: boolean;
  error?: string | null;
  isRestored?: boolean;
  progress: { percentage?: number; bytesUploaded: number | false; uploadComplete?: boolean };
  response?: { body?: { id: string; status: string }; uploadURL?: string };
}

const section = (page: Page, route: string) => page.locator(`section[data-route="${route}"]`);
const dashboardInput = (page: Page, route: string) =>
  section(page, route).locator("input.uppy-Dashboard-input").first();
const uploadButton = (page: Page, route: string): Locator =>
  section(page, route).locator(".uppy-StatusBar-actionBtn--upload");

async function fileState(page: Page, route: string, name: string): Promise<FileState | undefined> {
  return page.evaluate(
    ([route, name]) => {
      const uppy = (globalThis as unknown as { uppy: Record<string, { getFiles(): FileState[] }> }).uppy;
      return uppy[route!]!.getFiles().find((f) => f.name === name);
    },
    [route, name],
  );
}

/** Waits until the file's upload is complete; an error fails at once, with Uppy's message. */
async function waitForUploaded(page: Page, route: string, name: string): Promise<FileState> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const file = await fileState(page, route, name);
    if (file?.progress.uploadComplete) return file;
    if (file?.error) throw new Error(`${name} failed: ${file.error}`);
    if (Date.now() > deadline) throw new Error(`${name} did not finish: ${JSON.stringify(file)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForError(page: Page, route: string, name: string): Promise<string> {
  await expect
    .poll(async () => (await fileState(page, route, name))?.error, { timeout: 60_000 })
    .toBeTruthy();
  return (await fileState(page, route, name))!.error!;
}

async function waitForPercent(page: Page, name: string, percent: number): Promise<void> {
  await expect
    .poll(async () => (await fileState(page, "archives", name))?.progress.percentage ?? 0, {
      timeout: 60_000,
      interval: 50,
    })
    .toBeGreaterThanOrEqual(percent);
}

/** Dashboard's Done button: clears the finished files, so the next step starts from an empty dashboard. */
async function done(page: Page, route: string): Promise<void> {
  await section(page, route).locator(".uppy-StatusBar-actionBtn--done").click();
  await expect.poll(() => section(page, route).locator(".uppy-Dashboard-Item").count()).toBe(0);
}

describeInChromium("examples/uppy against upgate dev", () => {
  const suite = withChromiumAndStack(() => startExampleStack("uppy"), 60_000);
  let example: ExamplePage;

  beforeAll(async () => {
    example = await openExample(suite.browser, suite.stack.gatewayUrl);
  }, 60_000);

  it("shows each route's rules from GET /v1/routes, and Uppy refuses at once what they forbid", async () => {
    const { page } = example;
    await expect
      .poll(() => section(page, "documents").locator(".uppy-Dashboard-note").textContent(), {
        timeout: 30_000,
      })
      .toBe("PNG, JPEG, PDF, Word (.docx); up to 25 MB");
    expect(await section(page, "archives").locator(".uppy-Dashboard-note").textContent()).toBe(
      "Any file; up to 2 GB",
    );
    // The picker offers the route's types and their extensions (so a .docx with no type is offered).
    const accept = await dashboardInput(page, "documents").getAttribute("accept");
    expect(accept?.split(", ")).toEqual(
      expect.arrayContaining(["image/png", ".png", "application/pdf", ".docx"]),
    );
    await screenshot(page, "uppy", "01-ready");

    await dashboardInput(page, "documents").setInputFiles({
      name: "setup.exe",
      mimeType: "application/x-msdownload",
      buffer: Buffer.from("MZ not allowed"),
    });
    await expect
      .poll(() => section(page, "documents").locator(".uppy-Informer").first().textContent())
      .toMatch(/^You can only upload: image\/png, \.png/);
    expect(await section(page, "documents").locator(".uppy-Dashboard-Item").count()).toBe(0);
    await screenshot(page, "uppy", "02-type-refused-by-route-rules");
    expect(suite.stack.log.writes()).toEqual([]);
    // The message would stay 5 s: hide it, so the next screenshot shows only the next step.
    await page.evaluate(() =>
      (globalThis as unknown as { uppy: { documents: { hideInfo(): void } } }).uppy.documents.hideInfo(),
    );
  });

  it("uploads a PNG and a PDF to verified, with the record in each file's response", async () => {
    const { page } = example;
    const png = pngImage(320, 200);
    const pdf = pdfDocument();
    await dashboardInput(page, "documents").setInputFiles([
      { name: "gradient.png", mimeType: "image/png", buffer: png },
      { name: "report.pdf", mimeType: "application/pdf", buffer: pdf },
    ]);
    await uploadButton(page, "documents").click();
    const [pngFile, pdfFile] = [
      await waitForUploaded(page, "documents", "gradient.png"),
      await waitForUploaded(page, "documents", "report.pdf"),
    ];
    expect(pngFile.response?.body?.status).toBe("verified");
    expect(pngFile.response?.uploadURL).toBe(
      `${suite.stack.gatewayUrl}/v1/files/${pngFile.response?.body?.id}`,
    );
    const rows = await ledgerRows(suite.stack, USER);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get("gradient.png")?.status).toBe("verified");
    expect(byName.get("report.pdf")?.status).toBe("verified");
    expect(byName.get("report.pdf")?.id).toBe(pdfFile.response?.body?.id);
    expect(await storedSha256(suite.stack, byName.get("gradient.png")!.key)).toBe(sha256(png));
    expect(await storedSha256(suite.stack, byName.get("report.pdf")!.key)).toBe(sha256(pdf));
    expect(await section(page, "documents").locator(".uppy-StatusBar").textContent()).toContain("Complete");
    await screenshot(page, "uppy", "03-png-and-pdf-verified");
    await done(page, "documents");
  });

  it("uploads a .docx the browser gives no type (typed from its extension)", async () => {
    const { page } = example;
    // setInputFiles would type it from its extension: build the File in the page, as a browser without a .docx type does.
    const type = await dashboardInput(page, "documents").evaluate(
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
    await uploadButton(page, "documents").click();
    await waitForUploaded(page, "documents", "notes.docx");
    const [docx] = (await ledgerRows(suite.stack, USER)).filter((r) => r.name === "notes.docx");
    expect([docx?.status, docx?.declaredType]).toEqual([
      "verified",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]);
    await expect
      .poll(() => section(page, "documents").locator(".uppy-StatusBar").textContent())
      .toContain("Complete");
    await screenshot(page, "uppy", "04-docx-verified");
    await done(page, "documents");
  });

  it("reports a .png that is not a PNG as failed, in the client's plain words naming what it is", async () => {
    const { page } = example;
    await dashboardInput(page, "documents").setInputFiles({
      name: "fake.png",
      mimeType: "image/png",
      buffer: fakePng(),
    });
    await uploadButton(page, "documents").click();
    const error = await waitForError(page, "documents", "fake.png");
    expect(error).toBe("fake.png: rejected: its content is application/pdf, not image/png");
    await expect
      .poll(() => section(page, "documents").locator(".uppy-StatusBar").textContent())
      .toContain("Upload failed");
    // The Dashboard shows Uppy's message, with the client's words as its details.
    await expect
      .poll(() => section(page, "documents").locator(".uppy-Informer").first().textContent())
      .toContain("Failed to upload fake.png");
    const [refused] = (await ledgerRows(suite.stack, USER)).filter((r) => r.name === "fake.png");
    expect(refused?.status).toBe("rejected");
    await screenshot(page, "uppy", "05-fake-png-refused");
    // Dashboard's Cancel removes it (nothing of it is left to delete at the gateway).
    await section(page, "documents").locator(".uppy-DashboardContent-back").click();
    await expect.poll(() => section(page, "documents").locator(".uppy-Dashboard-Item").count()).toBe(0);
  });

  it("a 60 MB multipart upload pauses, resumes, and after a reload resumes from the parts storage holds", async () => {
    const { page } = example;
    const file = join(suite.stack.dir, "backup.bin");
    await writeRandomFile(file, BIG);
    await throttleUploads(page, 6 * MiB);
    suite.stack.log.clear();
    await dashboardInput(page, "archives").setInputFiles(file);
    await uploadButton(page, "archives").click();
    await waitForPercent(page, "backup.bin", 15);
    await screenshot(page, "uppy", "06-multipart-uploading");

    // Pause with the file's own button (Uppy's upload-pause)...
    await section(page, "archives").getByRole("button", { name: "Pause upload" }).click();
    await expect.poll(async () => (await fileState(page, "archives", "backup.bin"))?.isPaused).toBe(true);
    await partPutsSettled(suite.stack);
    const putsWhenPaused = suite.stack.log.partPuts().length;
    const percentPaused = (await fileState(page, "archives", "backup.bin"))!.progress.percentage!;
    await new Promise((r) => setTimeout(r, 1000));
    expect(suite.stack.log.partPuts().length).toBe(putsWhenPaused);
    expect((await fileState(page, "archives", "backup.bin"))!.progress.percentage).toBe(percentPaused);
    await screenshot(page, "uppy", "07-multipart-paused");

    // ...and resume with the status bar's (Uppy's resume-all).
    await section(page, "archives").getByRole("button", { name: "Resume", exact: true }).click();
    await waitForPercent(page, "backup.bin", Math.max(50, percentPaused + 10));
    expect(suite.stack.log.partPuts().length).toBeGreaterThan(putsWhenPaused);
    // Four 8 MiB parts are in flight at once: reload once storage holds one of them.
    await somePartStored(suite.stack);
    await screenshot(page, "uppy", "08-multipart-resumed");

    await page.reload();
    await partPutsSettled(suite.stack);
    const [pending] = (await ledgerRows(suite.stack, USER)).filter((r) => r.name === "backup.bin");
    expect(pending?.status).toBe("pending");
    const stored = await settledStoredParts(suite.stack, pending!);
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect(stored.length).toBeLessThan(PARTS);

    // Golden Retriever brought the file back (from IndexedDB), and the Dashboard says so.
    await expect
      .poll(async () => (await fileState(page, "archives", "backup.bin"))?.isRestored, { timeout: 30_000 })
      .toBe(true);
    await expect
      .poll(() => section(page, "archives").locator(".uppy-Dashboard-serviceMsg-title").textContent())
      .toBe("Session restored");
    await screenshot(page, "uppy", "09-restored-after-reload");

    // Every byte count Uppy is given from here on, recorded in the page.
    await page.evaluate(() => {
      type Listener = (file: unknown, progress: { bytesUploaded: number }) => void;
      const g = globalThis as unknown as {
        __bytes: number[];
        uppy: { archives: { on(event: string, listener: Listener): void } };
      };
      g.__bytes = [];
      g.uppy.archives.on("upload-progress", (_file, progress) => g.__bytes.push(progress.bytesUploaded));
    });
    suite.stack.log.clear();
    await uploadButton(page, "archives").click();
    const finished = await waitForUploaded(page, "archives", "backup.bin");
    expect(finished.response?.body?.status).toBe("verified");
    // Progress starts from the bytes storage held, not from zero.
    const bytes = await page.evaluate(() => (globalThis as unknown as { __bytes: number[] }).__bytes);
    expect(bytes.length).toBeGreaterThan(0);
    expect(Math.min(...bytes)).toBeGreaterThanOrEqual(stored.length * PART);
    // Only the parts storage did not hold were sent.
    const sent = suite.stack.log
      .partPuts()
      .map((p) => p.partNumber!)
      .sort((a, b) => a - b);
    const missing = Array.from({ length: PARTS }, (_, i) => i + 1).filter((n) => !stored.includes(n));
    expect(sent).toEqual(missing);
    const [verified] = (await ledgerRows(suite.stack, USER)).filter((r) => r.name === "backup.bin");
    expect(verified?.status).toBe("verified");
    expect(verified?.id).toBe(pending?.id);
    expect(await storedSha256(suite.stack, verified!.key)).toBe(await sha256OfFile(file));
    await screenshot(page, "uppy", "10-resumed-after-reload-verified");
  });

  it("fits a 390 px wide phone screen without sideways scrolling", async () => {
    const { page } = example;
    await page.setViewportSize({ width: 390, height: 844 });
    await done(page, "archives");
    await dashboardInput(page, "documents").setInputFiles({
      name: "a-rather-long-file-name-for-a-narrow-screen.png",
      mimeType: "image/png",
      buffer: pngImage(64, 64),
    });
    await uploadButton(page, "documents").click();
    await waitForUploaded(page, "documents", "a-rather-long-file-name-for-a-narrow-screen.png");
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await screenshot(page, "uppy", "11-narrow-390px");
  });

  it("raised no error in the page but Uppy's own log line of the refused fake", () => {
    const expected =
      /^\[Uppy\] \[[\d:]+\] fake\.png: rejected: its content is application\/pdf, not image\/png$/;
    expect(example.errors.filter((e) => expected.test(e)).length).toBe(1);
    expect(example.errors.filter((e) => !expected.test(e))).toEqual([]);
  });
});
