import { describe, expect, it } from "vitest";
import { describeFailure, runTarget } from "./harness/run.js";
import { TARGETS } from "./targets/index.js";

/** A sample of every target in `npm test`; `npm run fuzz` runs 100,000 inputs each. */
const RUNS = 200;
const SEED = 0x5eed_f022;

describe("fuzz sample", () => {
  it.each(TARGETS.map((t) => [t.name, t] as const))(
    "%s keeps its contract on a fixed-seed sample and reaches its deep paths",
    async (_name, target) => {
      // A generous bound: this is about hangs and blow-ups, on a machine shared with other suites.
      const result = await runTarget(target, { runs: RUNS, seed: SEED, boundMs: 3000 });
      expect(result.failures, describeFailure(result)).toBe(0);
      expect(result.inputs).toBe(RUNS);
      // Valid inputs round-trip and each refusal the target documents is met: not only shallow garbage.
      const missing = target.reaches.filter((label) => !result.outcomes[label]);
      expect(missing, `outcomes reached: ${JSON.stringify(result.outcomes)}`).toEqual([]);
    },
  );
});
