import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RateMeter } from "./rate.js";
import { ProgressTracker, type UploadProgress } from "./tracker.js";

describe("ProgressTracker", () => {
  it("counts each segment's best attempt once, so retries never move loaded backwards", () => {
    const events: UploadProgress[] = [];
    const t = new ProgressTracker("f.bin", 0, 300, (p) => events.push(p));
    t.setPhase("uploading");
    t.report(1, 60);
    t.report(2, 50);
    t.report(1, 20); // part 1 retried from 0: nothing new
    t.report(1, 90); // passes what was counted: 30 more
    t.report(1, 100);
    t.report(2, 100);
    t.report(3, 100);
    expect(events.map((e) => e.loaded)).toEqual([0, 60, 110, 140, 150, 200, 300]);
    expect(events.at(-1)).toMatchObject({ loaded: 300, total: 300, percent: 100, file: "f.bin", index: 0 });
  });

  it("property: any interleaving of attempts gives monotonic progress ending exactly at the total", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 60 }),
        (sizes, reports) => {
          const total = sizes.reduce((a, b) => a + b, 0);
          const loaded: number[] = [];
          const t = new ProgressTracker("x", 0, total, (p) => loaded.push(p.loaded));
          for (const [seg, fraction] of reports) {
            const n = seg % sizes.length;
            t.report(n, Math.floor(sizes[n]! * fraction));
          }
          for (const [n, size] of sizes.entries()) t.report(n, size);
          for (let i = 1; i < loaded.length; i++) expect(loaded[i]!).toBeGreaterThanOrEqual(loaded[i - 1]!);
          expect(Math.max(...loaded)).toBe(total);
          expect(t.snapshot()).toMatchObject({ loaded: total, percent: 100 });
        },
      ),
    );
  });

  it("counts resumed parts without calling them speed", () => {
    let now = 0;
    const t = new ProgressTracker("f", 0, 1000, undefined, () => now);
    t.preset(1, 600);
    t.setPhase("uploading");
    now = 1000;
    t.report(2, 100);
    expect(t.snapshot()).toMatchObject({ loaded: 700, rate: 100 });
  });

  it("reports 0% for an empty file until it is done", () => {
    const t = new ProgressTracker("empty", 2, 0, undefined);
    expect(t.snapshot().percent).toBe(0);
    t.setPhase("done");
    expect(t.snapshot()).toMatchObject({ percent: 100, phase: "done", index: 2 });
  });
});

describe("RateMeter", () => {
  it("smooths over time, not over events", () => {
    const m = new RateMeter();
    m.start(0, 0);
    expect(m.update(1000, 1000)).toBe(1000);
    // A burst inside 200 ms is merged into the next sample.
    expect(m.update(5000, 1100)).toBe(1000);
    const r = m.update(5000, 2000);
    expect(r).toBeGreaterThan(1000);
    expect(r).toBeLessThan(4000);
    // A steady 2000 B/s converges on 2000.
    let bytes = 5000;
    let t = 2000;
    for (let i = 0; i < 40; i++) {
      bytes += 1000;
      t += 500;
      m.update(bytes, t);
    }
    expect(m.value).toBeCloseTo(2000, -1);
  });
});
