/** A seeded PRNG (mulberry32): the same seed gives the same sizes, contents and decisions. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [min, max]. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Log-uniform in [min, max]: as many 1-2 KiB files as 1-2 MiB ones. */
export function logUniform(random: Random, min: number, max: number): number {
  if (max <= min) return min;
  return Math.round(Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min))));
}
