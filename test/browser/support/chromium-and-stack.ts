/**
 * The beforeAll/afterAll pair of a browser test: Chromium and a stack, started side by side for the
 * describe block and closed after it, the browser first. Call it inside describeInChromium.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./chromium.js";

export interface Closable {
  close(): Promise<void>;
}

/** What beforeAll opened; reading either before it has run, or after it failed, throws. */
export interface BrowserAndStack<B, S> {
  readonly browser: B;
  readonly stack: S;
}

/** Closes the browser, then the stack, even when closing the browser throws. */
export async function closeInOrder(
  browser: Closable | undefined,
  stack: Closable | undefined,
): Promise<void> {
  try {
    await browser?.close();
  } finally {
    await stack?.close();
  }
}

/** Both, or neither: when one fails to start, the other is closed and the failure thrown. */
export async function openBoth<B extends Closable, S extends Closable>(
  launch: () => Promise<B>,
  start: () => Promise<S>,
): Promise<BrowserAndStack<B, S>> {
  const [browser, stack] = await Promise.allSettled([launch(), start()]);
  if (browser.status === "fulfilled" && stack.status === "fulfilled") {
    return { browser: browser.value, stack: stack.value };
  }
  const failure = browser.status === "rejected" ? browser.reason : (stack as PromiseRejectedResult).reason;
  // The start failure is what the run must report; a close that fails as well would only hide it.
  await closeInOrder(
    browser.status === "fulfilled" ? browser.value : undefined,
    stack.status === "fulfilled" ? stack.value : undefined,
  ).catch(() => undefined);
  throw failure;
}

/**
 * Registers the describe block's hooks: beforeAll runs `launch` and `start` side by side (openBoth),
 * afterAll closes what they opened (closeInOrder). `hookTimeout` (ms) is beforeAll's, the config's
 * when unset.
 */
export function withBrowserAndStack<B extends Closable, S extends Closable>(
  launch: () => Promise<B>,
  start: () => Promise<S>,
  hookTimeout?: number,
): BrowserAndStack<B, S> {
  let opening: Promise<BrowserAndStack<B, S>> | undefined;
  let opened: BrowserAndStack<B, S> | undefined;
  beforeAll(async () => {
    opening = openBoth(launch, start);
    opened = await opening;
  }, hookTimeout);
  afterAll(async () => {
    // Waits out a beforeAll that timed out: what it opens late is closed here rather than left running.
    const both = await opening?.catch(() => undefined);
    if (both) await closeInOrder(both.browser, both.stack);
  });
  const get = (): BrowserAndStack<B, S> => {
    if (!opened) throw new Error("the browser and the stack are not open: beforeAll has not run, or failed");
    return opened;
  };
  return {
    get browser() {
      return get().browser;
    },
    get stack() {
      return get().stack;
    },
  };
}

/** Chromium and `start`'s stack (a dev stack, an example stack) for the describe block. */
export function withChromiumAndStack<S extends Closable>(
  start: () => Promise<S>,
  hookTimeout?: number,
): BrowserAndStack<Browser, S> {
  return withBrowserAndStack(launchChromium, start, hookTimeout);
}
