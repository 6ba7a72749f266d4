import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Route } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { compositeSha256 } from "../../src/core/s3/composite-checksum.js";
import { expectMonotonicToCompletion, ledgerRows, storedSha256 } from "./support/checks.js";
import { describeInChromium } from "./support/chromium.js";
import { withChromiumAndStack } from "./support/chromium-and-stack.js";
import { MiB, sha256, sha256OfFile, writeRandomFile } from "./support/files.js";
import {
  announcements,
  cardStatus,
  chooseRoute,
  type DemoPage,
  openDemo,
  progressEvents,
  screenshot,
  waitForPercent,
} from "./support/page.js";
import { startTestStack } from "./support/stack.js";

const PART = 8 * MiB;

describeInChromium("the demo page: multipart uploads", () => {
  const suite = withChromiumAndStack(() => startTestStack());
  let demo: DemoPage;

  beforeAll(async () => {
    demo = await openDemo(suite.browser, suite.stack, "grace");
    await chooseRoute(demo.page, "Any file");
  });

  it("200 MiB go up in parts, 3 at a time, with monotonic progress to 100% and the right sha256", async () => {
    const { page } = demo;
    const file = join(suite.stack.dir, "video.bin");
    const size = 200 * MiB;
    await writeRandomFile(file, size);
    const expected = await sha256OfFile(file);
    suite.stack.log.clear();

    await page.setInputFiles("#picker", file);
    await waitForPercent(page, "video.bin", 30);
    expect(await cardStatus(page, "video.bin").textContent()).toBe("Uploading");
    await screenshot(page, "uploading");
    await expect
      .poll(() => cardStatus(page, "video.bin").textContent(), { timeout: 90_000, interval: 200 })
      .toBe("Uploaded and verified");

    const parts = suite.stack.log.partPuts();
    expect(parts.map((p) => p.partNumber).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: Math.ceil(size / PART) }, (_, i) => i + 1),
    );
    expect(parts.every((p) => p.status === 200)).toBe(true);
    expect(suite.stack.log.maxPartsInFlight).toBe(3);

    const events = (await progressEvents(page)).filter((e) => e.file === "video.bin");
    expectMonotonicToCompletion(events, size);
    expect(events.filter((e) => e.phase === "uploading").length).toBeGreaterThan(10);
    const said = await announcements(page);
    for (const text of ["25% uploaded", "50% uploaded", "75% uploaded", "uploaded and verified"]) {
      expect(said).toContain(`video.bin: ${text}`);
    }

    const [row] = await ledgerRows(suite.stack, "grace");
    // Above 64 MiB no whole-file hash is declared: every part's SHA-256 was signed into its URL,
    // and the gateway checked storage's composite of them against the parts' hashes at complete.
    expect([row!.name, row!.status, row!.strategy, row!.sha256]).toEqual([
      "video.bin",
      "verified",
      "multipart",
      null,
    ]);
    expect(await storedSha256(suite.stack, row!.key)).toBe(expected);
    const bytes = await readFile(file);
    const partShas: string[] = [];
    for (let start = 0; start < size; start += row!.partSize!) {
      partShas.push(sha256(bytes.subarray(start, Math.min(size, start + row!.partSize!))));
    }
    const head = await suite.stack.gateway.storage.head(row!.key);
    expect(head!.checksums.sha256).toBe(compositeSha256(partShas));
  });

  it("a part whose request fails once on the network is retried, and the upload succeeds", async () => {
    const { page } = demo;
    const file = join(suite.stack.dir, "flaky.bin");
    const size = 40 * MiB;
    await writeRandomFile(file, size);
    const attempts: string[] = [];
    const faulty = (url: URL) =>
      url.origin === suite.stack.storeUrl && url.searchParams.get("partNumber") === "2";
    const handler = async (route: Route) => {
      const method = route.request().method();
      attempts.push(method);
      if (method === "PUT" && attempts.filter((m) => m === "PUT").length === 1) await route.abort("failed");
      else await route.fallback();
    };
    await page.route(faulty, handler);
    suite.stack.log.clear();
    try {
      await page.setInputFiles("#picker", file);
      await expect
        .poll(() => cardStatus(page, "flaky.bin").textContent(), { timeout: 60_000, interval: 200 })
        .toBe("Uploaded and verified");
    } finally {
      await page.unroute(faulty, handler);
    }
    expect(attempts.filter((m) => m === "PUT")).toEqual(["PUT", "PUT"]);
    const stored = suite.stack.log.partPuts().filter((p) => p.status === 200);
    expect(stored.map((p) => p.partNumber!).sort((a, b) => a - b)).toEqual(
      Array.from({ length: size / PART }, (_, i) => i + 1),
    );
    const events = (await progressEvents(page)).filter((e) => e.file === "flaky.bin");
    expectMonotonicToCompletion(events, size);
    const [row] = await ledgerRows(suite.stack, "grace");
    expect([row!.name, row!.status]).toEqual(["flaky.bin", "verified"]);
    expect(await storedSha256(suite.stack, row!.key)).toBe(await sha256OfFile(file));
    expect(demo.errors).toEqual([]);
  });
});
