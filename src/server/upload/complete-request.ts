import { UpgateError } from "../../core/errors.js";
import type { CompleteRequest } from "../../core/protocol.js";

function invalid(message: string): UpgateError {
  return new UpgateError("VALIDATION_FAILED", message, { details: { field: "parts" } });
}

/** A POST /v1/uploads/:id/complete body: empty, or `{ parts: [{ partNumber, etag }] }`. */
export function parseCompleteRequest(body: unknown): CompleteRequest {
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid(
      'The body must be empty or a JSON object like { "parts": [{ "partNumber": 1, "etag": "..." }] }',
    );
  }
  const { parts, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length > 0)
    throw invalid(`Unknown fields: ${Object.keys(rest).slice(0, 5).join(", ")} (allowed: parts)`);
  if (parts === undefined) return {};
  if (!Array.isArray(parts) || parts.length > 10_000)
    throw invalid("parts must be a list of { partNumber, etag }");
  const seen = new Set<number>();
  const checked = parts.map((part) => {
    const { partNumber, etag } = (part ?? {}) as Record<string, unknown>;
    if (!Number.isInteger(partNumber) || (partNumber as number) < 1 || (partNumber as number) > 10_000) {
      throw invalid(
        `a part number must be a whole number from 1 to 10000, got ${JSON.stringify(partNumber)}`,
      );
    }
    if (typeof etag !== "string" || etag === "" || etag.length > 256)
      throw invalid(`part ${partNumber} needs its ETag`);
    if (seen.has(partNumber as number)) throw invalid(`part ${partNumber} is listed twice`);
    seen.add(partNumber as number);
    return { partNumber: partNumber as number, etag };
  });
  return { parts: checked };
}
