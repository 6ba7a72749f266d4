/**
 * useUpload and <UploadDropzone> in a real React 19 DOM (Chromium), under StrictMode: dragging
 * sets data-state, a drop starts one upload per file, the live region announces, and unmounting
 * cancels what is still running. The example test (test/examples) covers them on upgate dev.
 */
import { join } from "node:path";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeInChromium, launchChromium } from "../browser/support/chromium.js";

let browser: Browser;
let page: Page;

/** Sends these drag events, carrying files with these names, to the dropzone. */
function drag(names: string[], events: string[]): Promise<void> {
  return page.evaluate(
    ([files, types]) => {
      // The page's DOM, typed here as much as used (the Node type-check has no DOM library).
      const dom = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: File): void } };
        DragEvent: new (type: string, init: object) => Event;
        document: { querySelector(selector: string): { dispatchEvent(event: Event): void } };
      };
      const transfer = new dom.DataTransfer();
      for (const name of files) transfer.items.add(new File(["0123456789"], name, { type: "text/plain" }));
      const zone = dom.document.querySelector("button[data-state]");
      for (const type of types)
        zone.dispatchEvent(
          new dom.DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
    },
    [names, events] as const,
  );
}

const zoneState = () => page.locator("button[data-state]").getAttribute("data-state");
const log = () => page.evaluate(() => (globalThis as unknown as { __log: string[] }).__log.slice());

describeInChromium("useUpload and UploadDropzone in React 19", () => {
  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [join(import.meta.dirname, "fixtures/hook-page.tsx")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      jsx: "automatic",
      define: { "process.env.NODE_ENV": '"development"' },
      write: false,
      logLevel: "silent",
    });
    browser = await launchChromium();
    page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.setContent('<div id="root"></div>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text, type: "module" });
    await page.locator("button[data-state]").waitFor();
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("dragging over sets data-state; a drop starts one task per file; progress and the live region follow", async () => {
    expect(await zoneState()).toBe("idle");
    // The route's rules (getRoutes) describe the dropzone and filter the picker.
    await expect
      .poll(() => page.locator("button[data-state] > span").textContent(), { timeout: 15_000 })
      .toBe("Text; up to 1 KB, 3 files at most");
    expect(await page.locator("input[type=file]").getAttribute("accept")).toBe("text/plain,.txt");
    await drag(["a.txt"], ["dragenter", "dragover"]);
    expect(await zoneState()).toBe("dragging");
    await drag(["a.txt"], ["dragleave"]);
    expect(await zoneState()).toBe("idle");
    await drag(["a.txt", "b.txt"], ["dragenter", "dragover", "drop"]);
    await expect
      .poll(() => page.locator("#items").textContent(), { timeout: 15_000 })
      .toBe("a.txt:uploading:50 b.txt:uploading:50");
    // StrictMode mounts twice: still one task per file.
    expect(await log()).toEqual(["start a.txt to files", "start b.txt to files"]);
    expect(await zoneState()).toBe("uploading");
    expect(await page.locator("[role=status]").textContent()).toBe("b.txt: 50% uploaded");

    await page.evaluate(() => (globalThis as unknown as { __finish: () => void }).__finish());
    await expect
      .poll(() => page.locator("#items").textContent(), { timeout: 15_000 })
      .toBe("a.txt:done:100 b.txt:uploading:50");
    expect(await page.locator("[role=status]").textContent()).toBe("a.txt: uploaded and verified");
  });

  it("unmounting cancels the uploads still running, and only those", async () => {
    await page.evaluate(() => (globalThis as unknown as { __unmount: () => void }).__unmount());
    await expect
      .poll(log, { timeout: 15_000 })
      .toEqual(["start a.txt to files", "start b.txt to files", "abort b.txt"]);
    expect(await page.locator("button").count()).toBe(0);
  });
});
