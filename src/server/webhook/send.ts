import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from "./signature.js";
import type { SendWebhookOptions, WebhookAttempt, WebhookOutcome } from "./types.js";

const MAX_BACKOFF_MS = 30_000;
const DEFAULT_BACKOFF_MS = 500;

type AttemptResult = WebhookAttempt & { retryable: boolean };

/**
 * POSTs the event as JSON, signed with upgate-signature (a fresh timestamp per attempt) and
 * carrying upgate-event-id. Retries network errors, timeouts, 429 and 5xx with exponential backoff;
 * any other status is final. Redirects are not followed. Resolves with the outcome; never throws.
 */
export async function sendWebhook(options: SendWebhookOptions): Promise<WebhookOutcome> {
  const eventId = options.event?.id ?? "";
  const attempts: WebhookAttempt[] = [];
  try {
    const body = JSON.stringify(options.event);
    const send = options.fetch ?? fetch;
    const retries = Math.max(0, Math.floor(options.retries));
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(backoff(options.backoffMs ?? DEFAULT_BACKOFF_MS, attempt), options.signal);
      if (options.signal?.aborted) {
        attempts.push({ error: "abandoned", durationMs: 0 });
        break;
      }
      const { retryable, ...result } = await deliver(send, options, body);
      attempts.push(result);
      if (result.status !== undefined && result.status >= 200 && result.status < 300) {
        return { delivered: true, eventId, status: result.status, attempts };
      }
      if (!retryable || options.signal?.aborted) break;
    }
  } catch (error) {
    attempts.push({ error: describe(error), durationMs: 0 });
  }
  const last = attempts.at(-1);
  const outcome: WebhookOutcome = { delivered: false, eventId, attempts };
  if (last?.status !== undefined) outcome.status = last.status;
  outcome.error = last?.error ?? `the receiver answered ${last?.status}`;
  return outcome;
}

async function deliver(
  send: typeof fetch,
  options: SendWebhookOptions,
  body: string,
): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await send(options.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "upgate-webhook/1",
        [EVENT_ID_HEADER]: options.event.id,
        [SIGNATURE_HEADER]: await signWebhook(options.secret, body),
      },
      body,
      redirect: "manual",
      signal: options.signal
        ? AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.signal])
        : AbortSignal.timeout(options.timeoutMs),
    });
    // Only the status matters; release the connection.
    await res.body?.cancel().catch(() => {});
    return { status: res.status, durationMs: elapsed(), retryable: res.status === 429 || res.status >= 500 };
  } catch (error) {
    return { error: describe(error), durationMs: elapsed(), retryable: true };
  }
}

/** Between half and all of base * 2^(attempt-1), capped: spread out, but never much shorter. */
function backoff(baseMs: number, attempt: number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return "timed out";
    if (error.name === "AbortError") return "abandoned";
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${error.message} (${cause.code})` : error.message;
  }
  return String(error);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
