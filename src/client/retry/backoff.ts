export interface RetryOptions {
  /** Retries after the first attempt (default 5). */
  retries: number;
  /** The first backoff ceiling (default 500 ms); it doubles with each retry. */
  baseDelayMs: number;
  /** The largest backoff ceiling (default 30 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** The longest Retry-After honoured (a server asking for more gets this). */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(max, base * 2^retry)). `retry`
 * counts from 0 (the wait before the first retry). A server's Retry-After overrides the jitter.
 */
export function backoffDelay(
  retry: number,
  options: RetryOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3},/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
