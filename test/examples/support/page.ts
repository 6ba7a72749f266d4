/** Driving an example page in Chromium: opening it, slowing uploads down, screenshots per example. */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";

export interface ExamplePage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors in the page, but for refused requests (a test asserts there are none). */
  errors: string[];
}

export async function openExample(
  browser: Browser,
  url: string,
  viewport = { width: 1000, height: 900 },
): Promise<ExamplePage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    // Chromium logs each 4xx answer ("Failed to load resource"): a refused upload is one, and expected.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
      errors.push(message.text());
  });
  await page.goto(url);
  return { context, page, errors };
}

/** test-results/screenshots/<example>/<name>.png, the whole page. */
export async function screenshot(page: Page, example: string, name: string): Promise<string> {
  const dir = join("test-results", "screenshots", example);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
