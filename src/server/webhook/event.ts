import type { UploadRecord } from "../../core/protocol.js";
import type { WebhookEvent } from "./types.js";

/** A new upload.verified event, with a fresh random id. */
export function uploadVerifiedEvent(upload: UploadRecord, now = new Date()): WebhookEvent {
  return { id: `evt_${crypto.randomUUID()}`, type: "upload.verified", createdAt: now.toISOString(), upload };
}
