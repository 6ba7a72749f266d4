import { ContractViolation } from "./target.js";

/** Default bound on one input: far above any sane parse, far below a blow-up. Not a performance figure. */
export const DEFAULT_BOUND_MS = 1000;

export class HangError extends ContractViolation {}

async function timed<T>(property: (input: T) => void | Promise<void>, input: T, boundMs: number) {
  const start = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<"hung">((resolve) => {
    // A property that never settles (a decoder waiting forever) is stopped at ten times the bound.
    timer = setTimeout(() => resolve("hung"), boundMs * 10);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(() => property(input)), hang]);
    return { hung: result === "hung", ms: performance.now() - start };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the property on one input under a time bound. An input that has not settled after ten
 * bounds is a hang; one that takes longer than the bound twice in a row (the second run rules out
 * a pause of a busy machine) is too slow. Either fails the property, so fast-check prints the input.
 */
export async function runBounded<T>(
  property: (input: T) => void | Promise<void>,
  input: T,
  boundMs = DEFAULT_BOUND_MS,
): Promise<void> {
  const first = await timed(property, input, boundMs);
  if (first.hung) throw new HangError(`did not finish within ${boundMs * 10} ms (hang)`);
  if (first.ms <= boundMs) return;
  const again = await timed(property, input, boundMs);
  if (again.hung) throw new HangError(`did not finish within ${boundMs * 10} ms (hang)`);
  if (again.ms > boundMs) {
    throw new HangError(
      `took ${Math.round(first.ms)} ms then ${Math.round(again.ms)} ms, over the ${boundMs} ms bound`,
    );
  }
}
