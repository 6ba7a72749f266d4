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
