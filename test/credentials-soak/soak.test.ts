import { expect, test } from "vitest";
import { formatCredentialSoak } from "./format.js";
import { runCredentialSoak } from "./run.js";

/**
 * The short credential soak inside `npm test`: the run of `npm run soak:credentials`, but 16 s with
 * a new set every 3 s (each expiring 6 s after its rotation began), two uploaders, some multipart.
 */
test("uploads go on through credential rotations with none failing (short soak)", {
  timeout: 90_000,
}, async () => {
  const report = await runCredentialSoak({
    durationMs: 16_000,
    rotateMs: 3000,
    lifeSeconds: 6,
    workers: 2,
    multipartEvery: 12,
  });
  expect(report.problems, formatCredentialSoak(report)).toEqual([]);
  expect(report.failures).toEqual([]);
  expect(report.rotations).toBeGreaterThanOrEqual(5);
  expect(report.uploads.verified).toBeGreaterThan(20);
  expect(report.uploads.multipart).toBeGreaterThan(0);
  expect(report.downloads.checked).toBeGreaterThan(0);
  expect(report.sweeps.runs).toBeGreaterThan(1);
  expect(report.refusals).toEqual({ withoutToken: "403 InvalidAccessKeyId", otherToken: "400 InvalidToken" });
});
