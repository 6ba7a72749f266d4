import type { UploadRecord } from "../../core/protocol.js";
import type { GatewayLog } from "../observe/log.js";
import { uploadVerifiedEvent } from "./event.js";
import { sendWebhook } from "./send.js";
import type { CompletedBy } from "./types.js";

const RETRIES = 3;
const TIMEOUT_MS = 10_000;
/** How long close() waits for deliveries still in flight before it abandons them, by default. */
export const WEBHOOK_DRAIN_MS = 15_000;

/**
 * Sends upload.verified events in the background: a slow or failing receiver never delays or
 * fails a complete. Failed deliveries are logged (with the receiver's origin only: webhook URLs
 * often carry a token in their path).
 */
export function createWebhookSender(log: GatewayLog) {
  const inFlight = new Set<Promise<void>>();
  // Aborted when close() stops waiting: an abandoned delivery must not keep the process alive.
  const abandon = new AbortController();
  return {
    deliver(webhook: { url: string; secret: string }, upload: UploadRecord, completedBy: CompletedBy): void {
      const event = uploadVerifiedEvent(upload, completedBy);
      const task = sendWebhook({
        url: webhook.url,
        secret: webhook.secret,
        event,
        retries: RETRIES,
        timeoutMs: TIMEOUT_MS,
        signal: abandon.signal,
      })
        .then((outcome) => {
          if (outcome.delivered) return;
          log.warn("webhook delivery failed", {
            receiver: new URL(webhook.url).origin,
            eventId: outcome.eventId,
            uploadId: upload.id,
            status: outcome.status,
            error: outcome.error,
            attempts: outcome.attempts.length,
          });
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    },
    /** Waits up to `waitMs` for the deliveries in flight, then abandons the rest. */
    async drain(waitMs = WEBHOOK_DRAIN_MS): Promise<void> {
      if (inFlight.size === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), waitMs);
      });
      const abandoned = await Promise.race([Promise.allSettled([...inFlight]).then(() => false), gaveUp]);
      clearTimeout(timer);
      if (!abandoned) return;
      log.warn("closing with webhook deliveries still in flight; abandoned", { pending: inFlight.size });
      abandon.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
