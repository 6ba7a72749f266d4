/** Assertions shared by the browser tests. */
import { createHash } from "node:crypto";
import { expect } from "vitest";
import type { UploadProgress } from "../../../src/client/index.js";
import type { TestStack } from "./stack.js";

/** One file's events never go back, and the last one is the whole file, done. */
export function expectMonotonicToCompletion(events: UploadProgress[], total: number): void {
  expect(events.length).toBeGreaterThan(2);
  for (let i = 1; i < events.length; i++) {
    const [before, after] = [events[i - 1]!, events[i]!];
    expect(after.loaded, `event ${i}: loaded went back`).toBeGreaterThanOrEqual(before.loaded);
    expect(after.percent, `event ${i}: percent went back`).toBeGreaterThanOrEqual(before.percent);
    expect(after.total).toBe(total);
  }
  const last = events.at(-1)!;
  expect([last.phase, last.loaded, last.percent]).toEqual(["done", total, 100]);
}

/** The base64 SHA-256 of an object as the store holds it. */
export async function storedSha256(stack: TestStack, key: string): Promise<string> {
  const hash = createHash("sha256");
  const reader = (await stack.gateway.storage.getStream(key)).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
  }
  return hash.digest("base64");
}

/** The user's uploads in the ledger, newest first. */
export async function ledgerRows(stack: TestStack, userId: string) {
  return (await stack.gateway.ledger.list({ userId, limit: 50 })).rows;
}
