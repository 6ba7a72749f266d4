export { uploadVerifiedEvent } from "./event.js";
export { sendWebhook } from "./send.js";
export {
  DEFAULT_TOLERANCE_SECONDS,
  EVENT_ID_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
} from "./signature.js";
export type * from "./types.js";
