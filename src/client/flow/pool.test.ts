import { describe, expect, it } from "vitest";
import { runPool } from "./pool.js";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("runPool", () => {
  it("runs every item with at most `limit` at once", async () => {
    let now = 0;
    let most = 0;
    const done: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      most = Math.max(most, ++now);
      await tick(5);
      now--;
      done.push(n);
    });
    expect(most).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("rejects at once with the first failure, or after the others finish when settling", async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const work = async (n: number) => {
      started.push(n);
      if (n === 1) throw new Error("one");
      await tick(20);
      finished.push(n);
    };
    await expect(runPool([1, 2, 3, 4], 2, work)).rejects.toThrow("one");
    expect(finished).toEqual([]);
    await tick(40);

    started.length = 0;
    finished.length = 0;
    const failures: unknown[] = [];
    await expect(
      runPool([1, 2, 3, 4], 2, work, { settle: true, onFailure: (e) => failures.push(e) }),
    ).rejects.toThrow("one");
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([2]);
    expect(failures).toHaveLength(1);
  });
});
