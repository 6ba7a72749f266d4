import { fromBase64, toBase64 } from "../../core/sigv4/crypto.js";

/** Where a sweep stopped, so the next run goes on from there. Opaque to callers (base64url JSON). */
export type SweepPosition =
  | { phase: "expire"; skip: number }
  | { phase: "multipart"; prefix: string; atKey: string; atUploadId: string }
  | { phase: "objects"; prefix: string; token?: string; atKey: string };

const NOT_A_CURSOR = "upgate: the sweep cursor is not one a sweep report gave";

export function encodePosition(position: SweepPosition): string {
  const base64 = toBase64(new TextEncoder().encode(JSON.stringify(position)));
  return base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodePosition(cursor: string): SweepPosition {
  const base64 = cursor.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = fromBase64(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
  let value: unknown;
  try {
    value = bytes && JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new TypeError(NOT_A_CURSOR);
  }
  if (!isPosition(value)) throw new TypeError(NOT_A_CURSOR);
  return value;
}

function isPosition(value: unknown): value is SweepPosition {
  if (typeof value !== "object" || value === null) return false;
  const p = value as Record<string, unknown>;
  const text = (name: string) => typeof p[name] === "string";
  switch (p.phase) {
    case "expire":
      return Number.isSafeInteger(p.skip) && (p.skip as number) >= 0;
    case "multipart":
      return text("prefix") && text("atKey") && text("atUploadId");
    case "objects":
      return text("prefix") && text("atKey") && (p.token === undefined || text("token"));
    default:
      return false;
  }
}
