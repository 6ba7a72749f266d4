import type fc from "fast-check";

/**
 * One fuzz target: the inputs to generate and the contract every input must keep. The property
 * throws (or rejects) when an input breaks the contract: an error outside the target's documented
 * class, a wrong answer to a round trip, a result that is not what the parser promises.
 */
export interface FuzzTarget<T> {
  name: string;
  /** What is fuzzed, for the report. */
  subject: string;
  arbitrary: fc.Arbitrary<T>;
  property: (input: T) => void | Promise<void>;
  /** Outcomes (see observe) a sample of a few hundred inputs must reach: the deep paths. */
  reaches: readonly string[];
}

// biome-ignore lint/suspicious/noExplicitAny: a list of targets mixes input types.
export type AnyTarget = FuzzTarget<any>;

/** A broken contract, as opposed to an error the target is documented to throw. */
export class ContractViolation extends Error {
  override readonly name = "ContractViolation";
}

export function violation(message: string, cause?: unknown): never {
  throw new ContractViolation(message, cause === undefined ? undefined : { cause });
}

export function check(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) violation(typeof message === "string" ? message : message());
}

/** Deep equality for the JSON-like values parsers return; the first difference is in the message. */
export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) violation(`${what}: expected ${clip(e)}, got ${clip(a)}`);
}

export const clip = (text: string | undefined, max = 300): string =>
  text === undefined
    ? "undefined"
    : text.length > max
      ? `${text.slice(0, max)}… (${text.length} chars)`
      : text;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `fn` and returns its value, or the error it threw when `allowed` accepts that error.
 * Any other error is a contract violation: the target crashed.
 */
export async function settle<T>(
  fn: () => T | Promise<T>,
  allowed: (err: unknown) => boolean,
  what: string,
): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof ContractViolation) throw err;
    if (allowed(err)) return { ok: false, error: err };
    const shown = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return violation(`${what} threw outside its documented errors: ${clip(shown)}`, err);
  }
}

/** settle() for synchronous code. */
export function settleSync<T>(fn: () => T, allowed: (err: unknown) => boolean, what: string): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof ContractViolation) throw err;
    if (allowed(err)) return { ok: false, error: err };
    const shown = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return violation(`${what} threw outside its documented errors: ${clip(shown)}`, err);
  }
}
