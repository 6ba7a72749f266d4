import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HangError, runBounded } from "./harness/bounded.js";
import { runTarget } from "./harness/run.js";
import { ContractViolation, type FuzzTarget, settleSync } from "./harness/target.js";

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
};

describe("fuzz harness", () => {
  it("fails an input slower than the bound twice, and one that never settles", async () => {
    await expect(runBounded(() => busy(80), 0, 20)).rejects.toBeInstanceOf(HangError);
    await expect(runBounded(() => new Promise<void>(() => {}), 0, 10)).rejects.toThrow(/hang/);
    await expect(runBounded(() => busy(1), 0, 200)).resolves.toBeUndefined();
  });

  it("tells documented errors from crashes", () => {
    const allowed = (err: unknown) => err instanceof RangeError;
    expect(
      settleSync(
        () => {
          throw new RangeError("x");
        },
        allowed,
        "f",
      ).ok,
    ).toBe(false);
    expect(() =>
      settleSync(
        () => {
          throw new TypeError("x");
        },
        allowed,
        "f",
      ),
    ).toThrow(ContractViolation);
  });

  it("reports a broken target with a counterexample that replays from its seed and path", async () => {
    const target: FuzzTarget<number> = {
      name: "broken",
      subject: "a parser that crashes above 1000",
      reaches: [],
      arbitrary: fc.nat({ max: 5000 }),
      property: (n) => {
        settleSync(
          () => {
            if (n > 1000) throw new TypeError("boom");
          },
          () => false,
          "parse",
        );
      },
    };
    const result = await runTarget(target, { runs: 500, seed: 1 });
    expect(result.failures).toBe(1);
    expect(result.counterexample?.input).toBe("1001");
    expect(result.counterexample?.error).toMatch(/TypeError: boom/);
    const replay = await runTarget(target, {
      runs: 500,
      seed: result.seed,
      path: result.counterexample!.path,
    });
    expect(replay.failures).toBe(1);
    expect(replay.counterexample?.input).toBe("1001");
  });
});
