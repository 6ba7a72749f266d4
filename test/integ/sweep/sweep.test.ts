import { afterEach, describe, expect, it } from "vitest";
import { sweep } from "../../../src/server/sweep/index.js";
import type { SweepOptions, SweepReport } from "../../../src/server/sweep/types.js";
import { EXPECTED, GRACE_MS, makeWorld, PREFIXES, snapshot, sweepNow, type World } from "./world.js";

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function fresh(): Promise<World> {
  world = await makeWorld();
  return world;
}

const options = (w: World, extra: Partial<SweepOptions> = {}): SweepOptions => ({
  ledger: w.ledger,
  storage: w.storage,
  now: sweepNow(w),
  graceMs: GRACE_MS,
  prefixes: PREFIXES,
  ...extra,
});

/** A report's actions, order-free, with row ids turned back into the world's names. */
function actions(w: World, reports: SweepReport[]) {
  const names = new Map(Object.entries(w.ids).map(([name, id]) => [id, name]));
  const all = <T>(pick: (r: SweepReport) => T[]) => reports.flatMap(pick);
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
  return {
    expired: all((r) => r.expired)
      .map((e) => names.get(e.id))
      .sort(),
    deletedObjects: all((r) => r.deletedObjects).sort(byKey),
    abortedMultipart: all((r) => r.abortedMultipart)
      .map(({ key, reason }) => ({ key, reason }))
      .sort(byKey),
  };
}

const expectedActions = {
  expired: [...EXPECTED.expired].sort(),
  deletedObjects: EXPECTED.deletedObjects,
  abortedMultipart: EXPECTED.abortedMultipart,
};

describe("sweep against the embedded store and a SQLite ledger", () => {
  it("expires, aborts and deletes what it should, and nothing else", async () => {
    const w = await fresh();
    const bobImagesBefore = await w.ledger.usage("bob", "images", undefined, sweepNow(w));
    expect(bobImagesBefore.files).toBe(2);

    const report = await sweep(options(w));

    expect(actions(w, [report])).toEqual(expectedActions);
    expect(report.failed).toEqual([]);
    expect(report.complete).toBe(true);
    expect(report.next).toBeUndefined();
    expect(report.counts).toEqual({
      verified: 0,
      rejected: 0,
      expired: 3,
      abortedMultipart: 2,
      deletedObjects: 3,
      failed: 0,
    });
    expect(report.abortedMultipart.find((a) => a.key === "images/bob/big.bin")?.uploadId).toBe(
      w.uploadIds["images/bob/big.bin"],
    );

    const after = await snapshot(w);
    expect(after.objects).toEqual(EXPECTED.survivingObjects);
    expect(after.uploads).toEqual(EXPECTED.survivingUploads);
    expect(after.statuses).toEqual(EXPECTED.statuses);
    expect((await w.ledger.get(w.ids.stalePut!))?.reason).toBe("expired");
    // Expiry released bob's reservations on images: only holding statuses count.
    expect(await w.ledger.usage("bob", "images", undefined, sweepNow(w))).toEqual({ bytes: 0, files: 0 });
  });

  it("finds nothing on a second run", async () => {
    const w = await fresh();
    await sweep(options(w));
    const before = await snapshot(w);
    const second = await sweep(options(w));
    expect(second.counts).toEqual({
      verified: 0,
      rejected: 0,
      expired: 0,
      abortedMultipart: 0,
      deletedObjects: 0,
      failed: 0,
    });
    expect(second.complete).toBe(true);
    expect(second.scanned.objects).toBe(3);
    expect(await snapshot(w)).toEqual(before);
  });

  it("changes nothing in a dry run, and reports exactly what a real run then does", async () => {
    const w = await fresh();
    const before = await snapshot(w);
    const dry = await sweep(options(w, { dryRun: true }));
    expect(dry.dryRun).toBe(true);
    expect(await snapshot(w)).toEqual(before);
    expect(actions(w, [dry])).toEqual(expectedActions);

    const real = await sweep(options(w));
    expect(real.dryRun).toBe(false);
    expect(actions(w, [real])).toEqual(actions(w, [dry]));
  });

  it("leaves orphans younger than the grace period alone", async () => {
    const w = await fresh();
    const report = await sweep(options(w, { now: new Date(), graceMs: 60 * 60_000 }));
    expect(report.deletedObjects.filter((d) => d.reason === "orphan")).toEqual([]);
    expect(report.abortedMultipart.filter((a) => a.reason === "orphan")).toEqual([]);
    const after = await snapshot(w);
    expect(after.objects).toContain("images/zed/orphan.bin");
    expect(after.uploads).toContain("images/zed/orphan-mp.bin");
  });

  it("stops at the limit and resumes from the cursor until everything is done", async () => {
    const w = await fresh();
    const reports = await sweepToTheEnd(w, 2, false);
    for (const report of reports) expect(limitedActions(report)).toBeLessThanOrEqual(2);
    // 3 expiries + 1 orphan upload + 2 orphan objects, at most 2 a run.
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(reports.slice(0, -1).every((r) => !r.complete && r.next)).toBe(true);
    expect(actions(w, reports)).toEqual(expectedActions);
    expect((await snapshot(w)).objects).toEqual(EXPECTED.survivingObjects);
  });

  it("walks a whole dry run one action at a time without changing anything", async () => {
    const w = await fresh();
    const before = await snapshot(w);
    const reports = await sweepToTheEnd(w, 1, true);
    for (const report of reports) expect(limitedActions(report)).toBeLessThanOrEqual(1);
    expect(reports.length).toBeGreaterThanOrEqual(6);
    expect(actions(w, reports)).toEqual(expectedActions);
    expect(await snapshot(w)).toEqual(before);
  });

  it("stops before any action once its signal is aborted; the cursor resumes it", async () => {
    const w = await fresh();
    const before = await snapshot(w);
    const stopped = await sweep(options(w, { signal: AbortSignal.abort() }));
    expect(stopped.complete).toBe(false);
    expect(actions(w, [stopped])).toEqual({ expired: [], deletedObjects: [], abortedMultipart: [] });
    expect(await snapshot(w)).toEqual(before);
    const resumed = await sweep(options(w, { cursor: stopped.next }));
    expect(actions(w, [resumed])).toEqual(expectedActions);
  });

  it("reports a storage failure and goes on with the rest", async () => {
    const w = await fresh();
    const failing = {
      ...w.storage,
      async delete(key: string) {
        if (key === "images/zed/orphan.bin") throw new Error("storage said no");
        return w.storage.delete(key);
      },
    };
    const report = await sweep(options(w, { storage: failing }));
    expect(report.failed).toEqual([
      { action: "delete", key: "images/zed/orphan.bin", message: "storage said no" },
    ]);
    expect(report.counts.deletedObjects).toBe(2);
    expect((await snapshot(w)).objects).toContain("images/zed/orphan.bin");
    // The next run tries again.
    const retry = await sweep(options(w));
    expect(retry.deletedObjects).toEqual([{ key: "images/zed/orphan.bin", reason: "orphan" }]);
  });

  it("expires a stale upload signed for another bucket but leaves this bucket's object at that key", async () => {
    const w = await fresh();
    const row = await w.ledger.get(w.ids.stalePut!);
    await w.ledger.reserve([{ ...row!, id: "up_elsewhere", bucket: "old-bucket" }], {
      userId: row!.userId,
      route: row!.route,
      limit: {},
      now: w.madeAt,
    });
    await w.ledger.transition(w.ids.stalePut!, ["pending"], "verified");
    const report = await sweep(options(w));
    expect(report.expired.map((e) => e.id)).toContain("up_elsewhere");
    expect((await w.ledger.get("up_elsewhere"))?.status).toBe("expired");
    expect(report.failed).toEqual([
      {
        action: "delete",
        key: "images/bob/stale.png",
        message: "the upload is in bucket old-bucket, not test-bucket: clean it up there",
      },
    ]);
    expect((await snapshot(w)).objects).toContain("images/bob/stale.png");
  });

  it("refuses an empty prefix, which would cover the whole bucket", async () => {
    const w = await fresh();
    await expect(sweep(options(w, { prefixes: [""] }))).rejects.toThrow(RangeError);
    expect((await snapshot(w)).objects).toHaveLength(8);
  });
});

/** What the limit counts: each expired row (with its own cleanup) and each orphan removed. */
function limitedActions(report: SweepReport): number {
  const orphans = [...report.abortedMultipart, ...report.deletedObjects].filter((a) => a.reason === "orphan");
  return report.expired.length + orphans.length;
}

async function sweepToTheEnd(w: World, limit: number, dryRun: boolean): Promise<SweepReport[]> {
  const reports: SweepReport[] = [];
  let cursor: string | undefined;
  for (let run = 0; run < 50; run++) {
    const report = await sweep(options(w, { limit, dryRun, cursor }));
    reports.push(report);
    if (report.complete) return reports;
    cursor = report.next;
  }
  throw new Error("the sweep did not finish within 50 runs");
}
