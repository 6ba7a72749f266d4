import { join } from "node:path";
import { expect, it } from "vitest";
import { expectMonotonicToCompletion, ledgerRows, storedSha256 } from "./support/checks.js";
import { describeInChromium } from "./support/chromium.js";
import { withChromiumAndStack } from "./support/chromium-and-stack.js";
import { MiB, sha256OfFile, writeRandomFile } from "./support/files.js";
import {
  cardStatus,
  chooseRoute,
  openDemo,
  progressEvents,
  throttleUploads,
  waitForPercent,
} from "./support/page.js";
import { partPutsSettled, settledStoredParts } from "./support/part-waits.js";
import { startTestStack } from "./support/stack.js";

const PART = 8 * MiB;
const SIZE = 200 * MiB;
const PARTS = Math.ceil(SIZE / PART);

describeInChromium("the demo page: resume after a reload", () => {
  const suite = withChromiumAndStack(() => startTestStack());

  it("a 200 MiB upload cut at about 50% by a reload sends only the missing parts when picked again", async () => {
    const { page, errors } = await openDemo(suite.browser, suite.stack, "carol");
    const file = join(suite.stack.dir, "backup.tar");
    await writeRandomFile(file, SIZE);
    await chooseRoute(page, "Any file");
    // Unthrottled, the parts can all be answered at the moment of the reload (the next ones still
    // being hashed): capped, some are always in flight for the reload to cut.
    await throttleUploads(page, 40 * MiB);
    suite.stack.log.clear();
    await page.setInputFiles("#picker", file);
    await waitForPercent(page, "backup.tar", 50);
    await page.reload();
    await page.getByRole("heading", { name: "Upload files" }).waitFor();
    // Parts in flight were cut by the reload: wait until the store has seen every request end.
    await partPutsSettled(suite.stack);
    const before = suite.stack.log.partPuts();
    // The reload cut the parts in flight: the store saw them end early (IncompleteBody, or a closed socket).
    expect(before.some((p) => p.status !== 200)).toBe(true);
    const [pending] = await ledgerRows(suite.stack, "carol");
    expect(pending?.status).toBe("pending");
    // What storage holds, not what the log saw answered: a part can be stored while its response is
    // cut by the reload, and resume (which asks the gateway) rightly skips it.
    const stored = new Set(await settledStoredParts(suite.stack, pending!));
    for (const p of before.filter((p) => p.status === 200)) expect(stored.has(p.partNumber!)).toBe(true);
    expect(stored.size).toBeGreaterThanOrEqual(1);
    expect(stored.size).toBeLessThan(PARTS);

    suite.stack.log.clear();
    await chooseRoute(page, "Any file");
    await page.setInputFiles("#picker", file);
    await expect
      .poll(() => cardStatus(page, "backup.tar").textContent(), { timeout: 90_000, interval: 200 })
      .toBe("Uploaded and verified");

    const after = suite.stack.log.partPuts();
    const sent = after.map((p) => p.partNumber!).sort((a, b) => a - b);
    const missing = Array.from({ length: PARTS }, (_, i) => i + 1).filter((n) => !stored.has(n));
    expect(sent).toEqual(missing);
    expect(after.every((p) => p.status === 200)).toBe(true);

    const events = (await progressEvents(page)).filter((e) => e.file === "backup.tar");
    expectMonotonicToCompletion(events, SIZE);
    const firstUpload = events.find((e) => e.phase === "uploading")!;
    expect(firstUpload.loaded).toBeGreaterThanOrEqual(stored.size * PART);

    const rows = await ledgerRows(suite.stack, "carol");
    expect(rows.map((r) => [r.name, r.status])).toEqual([["backup.tar", "verified"]]);
    expect(await storedSha256(suite.stack, rows[0]!.key)).toBe(await sha256OfFile(file));
    expect(errors).toEqual([]);
  });
});
