import { join } from "node:path";
import { expect, it } from "vitest";
import { ledgerRows } from "./support/checks.js";
import { describeInChromium } from "./support/chromium.js";
import { withChromiumAndStack } from "./support/chromium-and-stack.js";
import { MiB, writeRandomFile } from "./support/files.js";
import {
  announcements,
  card,
  cardStatus,
  chooseRoute,
  focusedText,
  openDemo,
  progressEvents,
  throttleUploads,
  waitForPercent,
} from "./support/page.js";
import { partPutsSettled } from "./support/part-waits.js";
import { startTestStack } from "./support/stack.js";

const SIZE = 200 * MiB;

describeInChromium("the demo page: pause, resume and cancel", () => {
  const suite = withChromiumAndStack(() => startTestStack());

  const usage = () => suite.stack.gateway.ledger.usage("erin", "any", undefined, new Date());

  it("pause stops sending, resume goes on, cancel removes the multipart upload and releases the quota", async () => {
    const { page, errors } = await openDemo(suite.browser, suite.stack, "erin");
    const file = join(suite.stack.dir, "archive.zip.part");
    await writeRandomFile(file, SIZE);
    await chooseRoute(page, "Any file");
    // On loopback the whole file goes up in about a second: throttle the page's uploads (Chromium's
    // network emulation) so there is an upload in progress to pause and cancel.
    await throttleUploads(page, 40 * MiB);
    suite.stack.log.clear();
    await page.setInputFiles("#picker", file);
    await waitForPercent(page, "archive.zip.part", 10);
    expect(await usage()).toEqual({ bytes: SIZE, files: 1 });
    const [pending] = await ledgerRows(suite.stack, "erin");
    expect(pending!.status).toBe("pending");
    expect((await suite.stack.gateway.storage.listMultipartUploads("any/")).map((u) => u.key)).toEqual([
      pending!.key,
    ]);

    await card(page, "archive.zip.part").getByRole("button", { name: "Pause" }).click();
    await expect.poll(() => cardStatus(page, "archive.zip.part").textContent()).toBe("Paused");
    // "My uploads" lists it as soon as the gateway has it, without a click on Refresh.
    await expect
      .poll(() =>
        page.locator("#mine-rows tr", { hasText: "archive.zip.part" }).locator(".badge").textContent(),
      )
      .toBe("not finished");
    await partPutsSettled(suite.stack);
    const sentWhilePaused = suite.stack.log.partPuts().length;
    const loadedAtPause = (await progressEvents(page)).at(-1)!.loaded;
    await page.waitForTimeout(800);
    expect(suite.stack.log.partPuts().length).toBe(sentWhilePaused);
    expect((await progressEvents(page)).at(-1)!.loaded).toBe(loadedAtPause);

    // The Resume button has the focus now: the keyboard resumes.
    expect(await focusedText(page)).toBe("Resume");
    await page.keyboard.press("Enter");
    await expect.poll(() => cardStatus(page, "archive.zip.part").textContent()).toBe("Uploading");
    await expect.poll(() => suite.stack.log.partPuts().length).toBeGreaterThan(sentWhilePaused);

    await card(page, "archive.zip.part").getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => cardStatus(page, "archive.zip.part").textContent()).toBe("Upload cancelled");
    await expect.poll(() => suite.stack.gateway.storage.listMultipartUploads("any/")).toEqual([]);
    expect((await ledgerRows(suite.stack, "erin")).map((r) => r.status)).toEqual(["aborted"]);
    expect(await usage()).toEqual({ bytes: 0, files: 0 });
    expect(await announcements(page)).toEqual(
      expect.arrayContaining([
        "archive.zip.part: paused",
        "archive.zip.part: resumed",
        "archive.zip.part: upload cancelled",
      ]),
    );
    // "My uploads" lists the files one has or is uploading: a cancelled one leaves it.
    await expect.poll(() => page.locator("#mine-rows tr", { hasText: "archive.zip.part" }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
