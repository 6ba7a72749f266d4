import type { UploadRecord } from "../../core/protocol.js";

/**
 * Who completed a verified upload: "client", its uploader's complete request; "sweeper", the sweeper,
 * which found the object of an upload nobody completed (a closed tab) and verified it the same way.
 */
export type CompletedBy = "client" | "sweeper";

/** The JSON body of a webhook delivery. */
export interface WebhookEvent {
  /** Unique per event and the same on every retry (also sent as upgate-event-id): dedupe on it. */
  id: string;
  type: "upload.verified";
  /** ISO 8601: when the event happened (not when this attempt was sent). */
  createdAt: string;
  completedBy: CompletedBy;
  upload: UploadRecord;
}

export interface SendWebhookOptions {
  url: string;
  /** The shared secret the receiver verifies upgate-signature with. */
  secret: string;
  event: WebhookEvent;
  /** Retries after the first attempt, on network errors, timeouts, 429 and 5xx. */
  retries: number;
  /** Per attempt, until the response headers arrive. */
  timeoutMs: number;
  /** First retry delay; each later one doubles, with jitter, up to 30 s. Default 500 ms. */
  backoffMs?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Abandons the delivery when aborted: the attempt in flight is cut and no retry follows. */
  signal?: AbortSignal;
}

export interface WebhookAttempt {
  status?: number;
  error?: string;
  durationMs: number;
}

/** What happened to a delivery. sendWebhook reports, never throws. */
export interface WebhookOutcome {
  delivered: boolean;
  eventId: string;
  /** The last attempt's status, if it got one. */
  status?: number;
  /** Why the delivery failed, when it did. */
  error?: string;
  attempts: WebhookAttempt[];
}

export type WebhookVerification =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "malformed" | "outside-tolerance" | "mismatch" };
