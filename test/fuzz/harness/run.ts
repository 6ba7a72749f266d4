import fc from "fast-check";
import { DEFAULT_BOUND_MS, runBounded } from "./bounded.js";
import { takeObservations } from "./observe.js";
import { type AnyTarget, clip } from "./target.js";

export interface RunOptions {
  runs: number;
  seed: number;
  /** fast-check's replay path of a counterexample (with its seed). */
  path?: string;
  boundMs?: number;
  /** Called before each generated input with its index, so a watchdog can tell which input hangs. */
  onInput?: (index: number) => void;
  /** How long shrinking a counterexample may take (a slow input is slow at every shrinking step). */
  shrinkBudgetMs?: number;
}

export interface FuzzResult {
  target: string;
  /** Inputs generated and checked (shrinking steps not counted). */
  inputs: number;
  /** 0, or 1 with the counterexample: fast-check stops at the first broken input. */
  failures: number;
  seconds: number;
  seed: number;
  counterexample?: { input: string; error: string; path: string };
  /** How the inputs went, as the target labelled them (shrinking steps included). */
  outcomes: Record<string, number>;
}

/** Runs one target for `runs` generated inputs and reports, never throwing on a failed property. */
export async function runTarget(target: AnyTarget, options: RunOptions): Promise<FuzzResult> {
  const boundMs = options.boundMs ?? DEFAULT_BOUND_MS;
  let index = 0;
  let shrinkingSince: number | undefined;
  const shrinkBudgetMs = options.shrinkBudgetMs ?? 30_000;
  const property = fc.asyncProperty(target.arbitrary, async (input) => {
    if (shrinkingSince === undefined) options.onInput?.(index++);
    // Past the budget every shrink candidate passes, so fast-check reports the smallest failure so far.
    else if (performance.now() - shrinkingSince > shrinkBudgetMs) return;
    try {
      await runBounded(target.property, input, boundMs);
    } catch (err) {
      shrinkingSince ??= performance.now();
      throw err;
    }
  });
  takeObservations();
  const start = performance.now();
  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    ...(options.path !== undefined && { path: options.path }),
  });
  const seconds = (performance.now() - start) / 1000;
  const result: FuzzResult = {
    target: target.name,
    inputs: details.numRuns,
    failures: details.failed ? 1 : 0,
    seconds,
    seed: details.seed,
    outcomes: takeObservations(),
  };
  if (details.failed) {
    const error = details.errorInstance;
    const why =
      error instanceof Error
        ? `${error.name}: ${error.message}${error.cause instanceof Error ? `\n  cause: ${error.cause.stack}` : ""}`
        : String(error);
    result.counterexample = {
      input: clip(fc.stringify(details.counterexample?.[0]), 4000),
      error: why,
      path: details.counterexamplePath ?? "",
    };
  }
  return result;
}

/** The lines printed for a failed target: what broke, the input, and how to replay it. */
export function describeFailure(result: FuzzResult): string {
  const c = result.counterexample;
  if (!c) return "";
  return [
    `✗ ${result.target}: ${c.error}`,
    `  input: ${c.input}`,
    `  replay: npm run fuzz -- --target ${result.target} --seed ${result.seed} --path "${c.path}"`,
  ].join("\n");
}
