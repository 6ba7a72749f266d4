/**
 * Chromium for the browser tests: Debian's package, driven by playwright-core. Without it, the
 * tests fail in CI (CI=true) and are skipped, saying why, elsewhere.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { describe, it } from "vitest";

export const CHROMIUM_PATH = process.env.UPGATE_CHROMIUM ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM_PATH);
const HOW = "install it with apt-get install -y chromium, or point UPGATE_CHROMIUM at a Chromium binary";

const ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Big uploads on a busy 2-core machine take a while: each test gets this long. */
const TEST_TIMEOUT_MS = 120_000;

/** A describe block that needs Chromium: failing in CI without it, skipped (with the reason) elsewhere. */
export function describeInChromium(name: string, body: () => void): void {
  if (available) {
    describe(name, { timeout: TEST_TIMEOUT_MS }, body);
  } else if (process.env.CI === "true") {
    describe(name, () => {
      it("has Chromium to run in", () => {
        throw new Error(`no Chromium at ${CHROMIUM_PATH}: CI must run the browser tests; ${HOW}`);
      });
    });
  } else {
    describe.skipIf(true)(`${name} (skipped: no Chromium at ${CHROMIUM_PATH}; ${HOW})`, body);
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}
