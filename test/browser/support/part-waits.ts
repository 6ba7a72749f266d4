/** Waits on what the store received of a multipart upload, for tests that cut one short. */
import { expect } from "vitest";
import type { TestStack } from "./stack.js";

/** Waits until every part PUT the store saw is settled (answered or cut), so counting them says what storage received. */
export async function partPutsSettled(stack: Pick<TestStack, "log">): Promise<void> {
  await expect
    .poll(() => stack.log.partPuts().every((p) => p.status !== undefined || p.aborted), { timeout: 15_000 })
    .toBe(true);
}

/**
 * The part numbers storage holds for a pending multipart upload, once the list stops changing: a
 * part whose body was all sent before a reload may still be committing.
 */
export async function settledStoredParts(
  stack: Pick<TestStack, "gateway">,
  upload: { key: string; multipartUploadId: string | null },
): Promise<number[]> {
  const held = async () =>
    (await stack.gateway.storage.listParts(upload.key, upload.multipartUploadId!)).map((p) => p.partNumber);
  let stored = await held();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await held();
    if (now.join() === stored.join()) break;
    stored = now;
  }
  return stored;
}

/** Waits until storage has taken at least one part (a 200 to a part PUT since the log was cleared). */
export async function somePartStored(stack: Pick<TestStack, "log">): Promise<void> {
  await expect
    .poll(() => stack.log.partPuts().filter((p) => p.status === 200).length, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(1);
}
