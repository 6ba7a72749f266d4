/**
 * The upgate-signature header, in the style of Stripe's:
 *
 *   upgate-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * The timestamp is signed with the body, so a captured delivery cannot be replayed later than the
 * receiver's tolerance. Several v1 entries may appear (any one matching is enough), which lets a
 * sender sign with both the old and the new secret while rotating.
 */
import { constantTimeEqual, hmacSha256Hex, toBytes } from "../../core/sigv4/crypto.js";
import type { WebhookVerification } from "./types.js";

export const SIGNATURE_HEADER = "upgate-signature";
export const EVENT_ID_HEADER = "upgate-event-id";
/** How far a receiver accepts the signed time from its own clock, by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The hex v1 signature of `body` at `timestamp` (unix seconds). */
export async function webhookSignature(
  secret: string,
  timestamp: number,
  body: string | Uint8Array,
): Promise<string> {
  const prefix = toBytes(`${timestamp}.`);
  const bytes = toBytes(body);
  const payload = new Uint8Array(prefix.length + bytes.length);
  payload.set(prefix);
  payload.set(bytes, prefix.length);
  return hmacSha256Hex(toBytes(secret), payload);
}

/** The header value for `body` signed now (or at `timestamp`). */
export async function signWebhook(
  secret: string,
  body: string | Uint8Array,
  timestamp = Math.floor(Date.now() / 1000),
): Promise<string> {
  return `t=${timestamp},v1=${await webhookSignature(secret, timestamp, body)}`;
}

/**
 * Checks an upgate-signature header against the raw body exactly as received (verify before any
 * JSON parsing: re-serialized JSON is not the same bytes). `secret` may list several, for rotation.
 */
export async function verifyWebhookSignature(
  secret: string | readonly string[],
  header: string | null | undefined,
  body: string | Uint8Array,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
  now = new Date(),
): Promise<WebhookVerification> {
  const parsed = header ? parseHeader(header) : undefined;
  if (!parsed) return { ok: false, reason: "malformed" };
  if (Math.abs(now.getTime() / 1000 - parsed.timestamp) > toleranceSeconds) {
    return { ok: false, reason: "outside-tolerance" };
  }
  for (const key of typeof secret === "string" ? [secret] : secret) {
    const expected = await webhookSignature(key, parsed.timestamp, body);
    if (parsed.signatures.some((signature) => constantTimeEqual(signature, expected))) {
      return { ok: true, timestamp: parsed.timestamp };
    }
  }
  return { ok: false, reason: "mismatch" };
}

function parseHeader(header: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const item of header.split(",")) {
    const eq = item.indexOf("=");
    if (eq < 0) return undefined;
    const name = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (name === "t") {
      if (!/^\d{1,12}$/.test(value) || timestamp !== undefined) return undefined;
      timestamp = Number(value);
    } else if (name === "v1" && /^[0-9a-f]{64}$/.test(value)) {
      signatures.push(value);
    }
    // Other schemes (v0, a future v2) are ignored, as Stripe's receivers do.
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}
