import { createHash } from "node:crypto";
import { UpgateError } from "../../../core/errors.js";
import type { FileDeclaration } from "../../../core/protocol.js";

const MAX_KEY_LENGTH = 255;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * The request's Idempotency-Key header (opaque, compared exactly), or undefined without one. Any
 * value that is not 1–255 printable ASCII characters is refused rather than ignored, so a client never
 * believes it is protected when it is not.
 */
export function parseIdempotencyKey(headers: Headers): string | undefined {
  const value = headers.get("idempotency-key");
  if (value === null) return undefined;
  if (value.length > MAX_KEY_LENGTH || !PRINTABLE_ASCII.test(value)) {
    throw new UpgateError(
      "VALIDATION_FAILED",
      `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters`,
      { details: { header: "Idempotency-Key" } },
    );
  }
  return value;
}

/** SHA-256 (hex) of the request as checked: same route and files, in any key order, give the same hash. */
export function createRequestHash(route: string, files: readonly FileDeclaration[]): string {
  return createHash("sha256").update(canonicalJson({ route, files })).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
