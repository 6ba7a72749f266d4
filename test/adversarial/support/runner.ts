import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type AdversarialCase, describeExpectation, matches, type Refusal, type World } from "./case.js";

/** One line per case in $UPGATE_ADVERSARIAL_REPORT/<title>.jsonl, read by scripts/adversarial.ts. */
export interface CaseResult {
  family: string;
  name: string;
  refused: boolean;
  changed: boolean;
  got: Refusal | null;
  error?: string;
}

function record(title: string, result: CaseResult): void {
  const dir = process.env.UPGATE_ADVERSARIAL_REPORT;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${title.replace(/[^a-z0-9-]+/gi, "_")}.jsonl`);
  appendFileSync(file, `${JSON.stringify(result)}\n`);
}

/**
 * Registers one test per case: setup, snapshot, attack, snapshot again. A case passes when the
 * answer matches its expectation, the state is unchanged (unless it says otherwise) and its own
 * verify() holds. Every outcome is recorded for the summary table, failures included.
 */
export function runCatalogue<W extends World>(
  title: string,
  open: () => Promise<W & { close(): Promise<void> }>,
  cases: Array<AdversarialCase<W>>,
): void {
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`duplicate adversarial case name: ${c.name}`);
    names.add(c.name);
  }
  describe(title, () => {
    let world: W & { close(): Promise<void> };
    beforeAll(async () => {
      world = await open();
    });
    afterAll(async () => {
      await world?.close();
    });
    for (const c of cases) {
      test(`${c.family}: ${c.name}`, async () => {
        const result: CaseResult = {
          family: c.family,
          name: c.name,
          refused: false,
          changed: false,
          got: null,
        };
        try {
          const prepared = await c.setup?.(world);
          const before = await world.snapshot();
          const got = await c.run(world, prepared);
          result.got = got;
          result.refused = matches(c.expect, got);
          const after = await world.snapshot();
          result.changed = !c.allowStateChange && after !== before;
          expect(
            got,
            `${c.attack}: expected ${describeExpectation(c.expect)}, got ${got.status} ${got.code || "(no code)"}`,
          ).toSatisfy((g: Refusal) => matches(c.expect, g));
          expect(after, `${c.attack}: the state changed`).toBe(c.allowStateChange ? after : before);
          await c.verify?.(world, prepared);
        } catch (err) {
          result.refused = false;
          result.error = err instanceof Error ? err.message.slice(0, 500) : String(err);
          throw err;
        } finally {
          record(title, result);
        }
      });
    }
  });
}
