/**
 * Interleaved timing for side-by-side benchmarks on a noisy machine: every contender runs one batch
 * per round, the order rotates each round, and the result is the median of the per-round figures.
 * A full GC runs before each batch, so no contender pays for the garbage the previous one left.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

export interface Contender {
  name: string;
  run(input: string): unknown;
}

export interface Timing {
  name: string;
  /** Median microseconds per call across rounds. */
  medianUs: number;
  minUs: number;
  maxUs: number;
}

export interface MeasureOptions {
  inputs: readonly string[];
  /** Calls per contender per round. */
  iterations: number;
  rounds: number;
  /** Untimed calls per contender before the first round. */
  warmup: number;
}

async function batch(c: Contender, inputs: readonly string[], start: number, count: number): Promise<number> {
  gc();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const out = c.run(inputs[(start + i) % inputs.length]!);
    if (out instanceof Promise) await out;
  }
  return ((performance.now() - t0) * 1000) / count;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function measure(contenders: readonly Contender[], o: MeasureOptions): Promise<Timing[]> {
  for (const c of contenders) await batch(c, o.inputs, 0, o.warmup);
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < o.rounds; r++) {
    for (let j = 0; j < contenders.length; j++) {
      const c = contenders[(r + j) % contenders.length]!;
      // Every contender signs the same keys in a round; a new stretch of keys each round.
      samples.get(c.name)!.push(await batch(c, o.inputs, o.warmup + r * o.iterations, o.iterations));
    }
  }
  return contenders.map((c) => {
    const s = samples.get(c.name)!;
    return { name: c.name, medianUs: median(s), minUs: Math.min(...s), maxUs: Math.max(...s) };
  });
}
