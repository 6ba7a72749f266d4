import { abortedError } from "./errors.js";

/** AbortSignal.any where it exists, else the same by hand. */
export function anySignal(signals: AbortSignal[]): AbortSignal {
  const any = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any.call(AbortSignal, signals);
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener("abort", () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

/**
 * Pause, resume and abort for one upload task. Every request gets `requestSignal()`, which aborts
 * on pause as well as on abort; work waits at `gate()` while paused and throws ABORTED once aborted.
 */
export class Control {
  private readonly aborter = new AbortController();
  private pauser = new AbortController();
  private waiters: Array<() => void> = [];
  private pausedFlag = false;
  private pauses = 0;

  /** Counts pause() calls: a request that failed ABORTED while this changed was paused, not cancelled. */
  get epoch(): number {
    return this.pauses;
  }

  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  get aborted(): boolean {
    return this.aborter.signal.aborted;
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Aborts on pause() or abort(): give it to each storage request. */
  requestSignal(): AbortSignal {
    return anySignal([this.aborter.signal, this.pauser.signal]);
  }

  pause(): void {
    if (this.pausedFlag || this.aborted) return;
    this.pausedFlag = true;
    this.pauses++;
    this.pauser.abort();
  }

  resume(): void {
    if (!this.pausedFlag) return;
    this.pausedFlag = false;
    this.pauser = new AbortController();
    this.release();
  }

  abort(): void {
    if (this.aborted) return;
    this.aborter.abort();
    this.release();
  }

  /** Returns at once when running; waits while paused; throws ABORTED when aborted. */
  async gate(): Promise<void> {
    while (this.pausedFlag && !this.aborted) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.aborted) throw abortedError();
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
