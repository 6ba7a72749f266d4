/** Driving the demo page: sign-in, routes, files, cards, what it announces, screenshots. */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { UploadProgress } from "../../../src/client/index.js";
import type { TestStack } from "./stack.js";

export const SCREENSHOTS = join("test-results", "screenshots");

/** A progress event as the page published it, with when (performance.now() in the page). */
export type RecordedProgress = UploadProgress & { at: number };
type Recorded = { __progress: RecordedProgress[] };

/** Runs in the page before its own scripts, on every load: keeps each progress event with its time. */
const RECORDER = `
  window.__progress = [];
  document.addEventListener("upgate:progress", (event) => {
    window.__progress.push({ ...event.detail, at: performance.now() });
  });
`;

export interface DemoPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors in the page (a test asserts there are none). */
  errors: string[];
}

/** A fresh browser context on the page (of a test stack, or any `upgate dev`), recording every upgate:progress event (across reloads too). */
export async function openDemo(
  browser: Browser,
  stack: Pick<TestStack, "gatewayUrl">,
  user?: string,
): Promise<DemoPage> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.addInitScript({ content: RECORDER });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(stack.gatewayUrl);
  if (user !== undefined) await signIn(page, user);
  return { context, page, errors };
}

export async function signIn(page: Page, user: string): Promise<void> {
  await page.getByLabel("Demo user name").fill(user);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Upload files" }).waitFor();
  await page.locator("#routes input").first().waitFor();
}

export async function chooseRoute(page: Page, label: string): Promise<void> {
  await page.getByRole("radio", { name: label }).check();
}

export function card(page: Page, name: string): Locator {
  return page.locator("li.card").filter({ has: page.locator(".card-name", { hasText: name }) });
}

export function cardStatus(page: Page, name: string): Locator {
  return card(page, name).locator(".status");
}

export function progressEvents(page: Page): Promise<RecordedProgress[]> {
  return page.evaluate(() => (globalThis as unknown as Recorded).__progress);
}

/** The id of the element that has the keyboard focus. */
export function focusedId(page: Page): Promise<string | undefined> {
  return page.evaluate("document.activeElement?.id");
}

/** The text of the element that has the keyboard focus. */
export function focusedText(page: Page): Promise<string | undefined> {
  return page.evaluate("document.activeElement?.textContent");
}

export function announcements(page: Page): Promise<string[]> {
  return page.locator("#announcer p").allTextContents();
}

/** Waits until some file's upload progress reaches `percent` (uploading phase). */
export async function waitForPercent(page: Page, name: string, percent: number): Promise<void> {
  await page.waitForFunction(
    ([file, at]) =>
      (globalThis as unknown as Recorded).__progress.some(
        (p) => p.file === file && p.phase === "uploading" && p.percent >= at,
      ),
    [name, percent] as const,
    { polling: 20 },
  );
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Drops files on the drop zone as a file manager would, built in the page so their type is exactly
 * `type` (setInputFiles guesses one from the name when given none; browsers often give "").
 */
export async function dropFiles(
  page: Page,
  files: Array<{ name: string; type: string; bytes: Uint8Array }>,
): Promise<void> {
  const payload = files.map((f) => ({
    name: f.name,
    type: f.type,
    bytes: Buffer.from(f.bytes).toString("base64"),
  }));
  await page.evaluate((list) => {
    const g = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      DragEvent: new (type: string, init: object) => unknown;
      File: new (parts: unknown[], name: string, init: object) => unknown;
      atob(text: string): string;
      document: { getElementById(id: string): { dispatchEvent(event: unknown): void } };
    };
    const transfer = new g.DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(g.atob(f.bytes), (c) => c.charCodeAt(0));
      transfer.items.add(new g.File([bytes], f.name, { type: f.type }));
    }
    const zone = g.document.getElementById("drop");
    zone.dispatchEvent(new g.DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, payload);
}

/**
 * Caps the page's upload rate (Chromium's own network emulation, through CDP), so a test can pause
 * or reload in the middle of an upload that would otherwise finish at once on loopback.
 */
export async function throttleUploads(page: Page, bytesPerSecond: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
}
