import type { Control } from "../control.js";
import { abortedError, toUploadError, type UploadError } from "../errors.js";
import { sleep as defaultSleep } from "../sleep.js";
import { backoffDelay, type RetryOptions } from "./backoff.js";

export interface AttemptContext {
  /** 0 for the first attempt, then 1, 2, ... (pauses do not count). */
  retry: number;
  /** What made the previous attempt fail, if any. */
  lastError: UploadError | undefined;
}

export interface RetryInfo {
  error: UploadError;
  /** The retry about to happen, from 1. */
  retry: number;
  delayMs: number;
}

export interface WithRetryOptions {
  retry: RetryOptions;
  /** Pause-aware: waits while paused, and an attempt cut short by a pause is redone for free. */
  control: Control;
  onRetry?: (info: RetryInfo) => void;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs `attempt` until it succeeds, retrying only errors marked `retryable`, at most
 * `retry.retries` times, with exponential backoff and full jitter (or the server's Retry-After).
 * The error finally thrown carries `attempts`.
 */
export async function withRetry<T>(
  attempt: (context: AttemptContext) => Promise<T>,
  options: WithRetryOptions,
): Promise<T> {
  const { control } = options;
  const sleep = options.sleep ?? defaultSleep;
  let retry = 0;
  let lastError: UploadError | undefined;
  for (;;) {
    await control.gate();
    const epoch = control.epoch;
    try {
      return await attempt({ retry, lastError });
    } catch (raw) {
      const error = toUploadError(raw);
      if (control.aborted) throw abortedError();
      if (error.code === "ABORTED" && control.epoch !== epoch) continue;
      if (!error.retryable || retry >= options.retry.retries) {
        error.attempts = retry + 1;
        throw error;
      }
      const delayMs = backoffDelay(retry, options.retry, error.retryAfterMs, options.random);
      retry++;
      lastError = error;
      options.onRetry?.({ error, retry, delayMs });
      await sleep(delayMs, control.signal);
    }
  }
}
