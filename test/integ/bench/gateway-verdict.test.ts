import { describe, expect, it } from "vitest";
import { goalVerdict, type RunFigures } from "../../../bench/gateway-verdict.js";

const run = (requestsPerSecond: number, cpu: number, load = 100, otherCores = 0): RunFigures => ({
  requestsPerSecond,
  cpuMicrosPerRequest: cpu,
  loadMicrosPerRequest: load,
  otherCores,
});

describe("bench:gateway's verdict", () => {
  it("says MET with the ratio when the goal is reached", () => {
    const lines = goalVerdict(run(4000, 200), run(500, 2000), 8, 2);
    expect(lines[0]).toBe("ratio (a)/(b): 8.00x req/s   goal >= 8x: MET");
    expect(lines).toHaveLength(2);
  });

  it("blames the CPU ratio when (a) is not 8x cheaper per request", () => {
    const lines = goalVerdict(run(2500, 300), run(500, 1800), 8, 2);
    expect(lines[0]).toMatch(/5\.00x req\/s {3}goal >= 8x: MISSED/);
    expect(lines[2]).toMatch(/4000 req\/s; \(a\)'s server would need 1\.20 cores .* load generator 0\.40/);
    expect(lines[3]).toMatch(/only 6\.00x/);
  });

  it("blames the shared cores when (a) is cheap enough but the rate cannot fit", () => {
    const lines = goalVerdict(run(3000, 200, 100, 0.7), run(600, 2000), 8, 2);
    expect(lines[3]).toMatch(/does not fit/);
  });

  it("blames waiting when the cores had room", () => {
    const lines = goalVerdict(run(1000, 100, 50), run(500, 1000), 8, 2);
    expect(lines[3]).toMatch(/waiting/);
  });

  it("judges the fallback CPU goal, only when the ratio goal is missed", () => {
    const missed = goalVerdict(run(2500, 300), run(500, 1800), 8, 2, 100);
    expect(missed.at(-1)).toBe(
      "fallback goal, (a)'s server CPU <= 100 µs per request: MISSED (300 µs, 200 µs over).",
    );
    const cheap = goalVerdict(run(3000, 95, 100, 0.7), run(600, 2000), 8, 2, 100);
    expect(cheap.at(-1)).toBe("fallback goal, (a)'s server CPU <= 100 µs per request: MET (95 µs).");
    expect(goalVerdict(run(4000, 200), run(500, 2000), 8, 2, 100)).toHaveLength(2);
  });

  it("says how much of the fallback goal the measured floor already takes", () => {
    const floor = { httpMicros: 34, reservationMicros: 46, perCommit: 16, workMicros: 15 };
    const room = goalVerdict(run(2500, 300), run(500, 1800), 8, 2, 100, floor);
    expect(room.at(-2)).toBe(
      "what (a) cannot do without, each measured alone now: node:http (c) 34 µs + the least durable SQLite" +
        " reservation 46 µs (raw better-sqlite3: its quota sum and insert, 16 per commit and fdatasync) + the least" +
        " the answer needs 15 µs (parse, a 128-bit key, one PUT signed by upgate's signer, the JSON, a pino line) = 95 µs per request.",
    );
    expect(room.at(-1)).toMatch(/^the goal leaves 5 µs above that floor; \(a\) spends 205 µs above it/);
    const over = goalVerdict(run(2500, 300), run(500, 1800), 8, 2, 100, { ...floor, workMicros: 30 });
    expect(over.at(-1)).toBe(
      "that floor alone is over the goal by 10 µs: no gateway doing this work on node:http and SQLite meets it here.",
    );
    expect(goalVerdict(run(3000, 95, 100, 0.7), run(600, 2000), 8, 2, 100, floor).at(-1)).toMatch(
      /^the goal leaves/,
    );
  });
});
