import { describe, expect, test } from "vitest";
import { createSingleFlight } from "./single-flight.js";

describe("createSingleFlight", () => {
  test("concurrent calls for one key share one run and its value; other keys run apart", async () => {
    const flight = createSingleFlight<string>();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const work = (value: string) => async () => {
      runs++;
      await gate;
      return value;
    };
    const calls = [
      flight.run("a", work("first")),
      flight.run("a", work("second")),
      flight.run("b", work("b")),
    ];
    expect(flight.size).toBe(2);
    release();
    expect(await Promise.all(calls)).toEqual(["first", "first", "b"]);
    expect(runs).toBe(2);
    expect(flight.size).toBe(0);
  });

  test("every caller gets the same error, and the key is free again afterwards", async () => {
    const flight = createSingleFlight<number>();
    const failure = new Error("boom");
    const fail = async (): Promise<number> => {
      await Promise.resolve();
      throw failure;
    };
    const results = await Promise.allSettled([flight.run("k", fail), flight.run("k", fail)]);
    expect(results).toEqual([
      { status: "rejected", reason: failure },
      { status: "rejected", reason: failure },
    ]);
    expect(flight.size).toBe(0);
    expect(await flight.run("k", async () => 7)).toBe(7);
  });

  test("a work that throws synchronously still frees its key", async () => {
    const flight = createSingleFlight<number>();
    await expect(
      flight.run("k", () => {
        throw new Error("sync");
      }),
    ).rejects.toThrow("sync");
    expect(flight.size).toBe(0);
  });
});
