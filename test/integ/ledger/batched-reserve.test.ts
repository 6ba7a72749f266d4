import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createSqliteLedger } from "../../../src/server/ledger/sqlite.js";
import type { Ledger } from "../../../src/server/ledger/types.js";
import { BYTE_QUOTA, CALLS, FILE_QUOTA, heldRows, MB, race, upload } from "./race-support.js";

/**
 * The SQLite ledger commits the reservations (and token takes) of one event-loop turn together
 * (src/server/ledger/group-commit.ts). These calls all start in one tick, so they share batches:
 * the quota must stay exact inside a batch, and one failing reservation must fail alone.
 */
describe("SQLite reservations batched in one transaction", () => {
  let dir = "";
  let ledger: Ledger;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-batched-"));
    ledger = createSqliteLedger(join(dir, "ledger.db"));
    await ledger.migrate();
  });
  afterEach(async () => {
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  });

  test(`${CALLS} reservations in one tick against a tight quota grant exactly what fits`, async () => {
    const bytes = await race([ledger], "bytes", BYTE_QUOTA, 1, MB);
    // The first 50 in call order fit; every later one sees them, in the same transaction.
    expect(bytes.map((result) => result.ok)).toEqual(Array.from({ length: CALLS }, (_, i) => i < 50));
    expect(bytes[50]).toEqual({ ok: false, used: { bytes: 50 * MB, files: 50 }, limit: BYTE_QUOTA });
    expect(await heldRows(ledger, "bytes")).toBe(50);

    const files = await race([ledger], "files", FILE_QUOTA, 3, 1);
    expect(files.filter((result) => result.ok)).toHaveLength(33);
    expect(await ledger.usage("racer", "files", undefined, new Date())).toEqual({ bytes: 99, files: 99 });
  });

  test("a reservation whose insert fails is undone alone; the rest of its batch commits", async () => {
    const taken = upload("racer", "images", MB);
    await ledger.reserve([taken], { userId: "racer", route: "images", limit: {}, now: new Date() });
    const quota = { userId: "racer", route: "images", limit: { files: 4 }, now: new Date() };
    const before = upload("racer", "images", MB);
    const orphan = upload("racer", "images", MB);
    const after = [upload("racer", "images", MB), upload("racer", "images", MB)];
    const last = upload("racer", "images", MB);
    const results = await Promise.allSettled([
      ledger.reserve([before], quota),
      // Its second row reuses an existing id: the whole reservation fails, its first row included.
      ledger.reserve([orphan, { ...upload("racer", "images", MB), id: taken.id }], quota),
      ledger.reserve(after, quota),
      // 1 + 1 + 2 rows held: the failed reservation's rows do not count, so this one is refused.
      ledger.reserve([last], quota),
    ]);
    expect(results[0]).toEqual({ status: "fulfilled", value: { ok: true } });
    expect(results[1]!.status).toBe("rejected");
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(results[2]).toEqual({ status: "fulfilled", value: { ok: true } });
    expect(results[3]).toMatchObject({ status: "fulfilled", value: { ok: false, used: { files: 4 } } });
    expect(await ledger.get(orphan.id)).toBeUndefined();
    for (const row of [before, ...after]) expect((await ledger.get(row.id))?.status).toBe("pending");
    expect(await ledger.usage("racer", "images", undefined, new Date())).toEqual({ bytes: 4 * MB, files: 4 });
  });

  test("token takes batched with reservations grant exactly the burst", async () => {
    const now = new Date();
    const calls = Array.from({ length: 40 }, (_, i) =>
      i % 2
        ? ledger.takeToken("racer:images", 15, now)
        : ledger.reserve([upload("racer", "images", 1)], {
            userId: "racer",
            route: "images",
            limit: { files: 10 },
            now,
          }),
    );
    const results = await Promise.all(calls);
    expect(results.filter((result, i) => i % 2 === 1 && result.ok)).toHaveLength(15);
    expect(results.filter((result, i) => i % 2 === 0 && result.ok)).toHaveLength(10);
  });

  test("close() commits what was queued before it", async () => {
    const row = upload("racer", "images", 1);
    const pending = ledger.reserve([row], { userId: "racer", route: "images", limit: {}, now: new Date() });
    await ledger.close();
    await expect(pending).resolves.toEqual({ ok: true });
    ledger = createSqliteLedger(join(dir, "ledger.db"));
    expect((await ledger.get(row.id))?.status).toBe("pending");
  });
});
