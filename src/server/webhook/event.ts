import type { UploadRecord } from "../../core/protocol.js";
import type { CompletedBy, WebhookEvent } from "./types.js";

/** A new upload.verified event, with a fresh random id. */
export function uploadVerifiedEvent(
  upload: UploadRecord,
  completedBy: CompletedBy,
  now = new Date(),
): WebhookEvent {
  return {
    id: `evt_${crypto.randomUUID()}`,
    type: "upload.verified",
    createdAt: now.toISOString(),
    completedBy,
    upload,
  };
}
