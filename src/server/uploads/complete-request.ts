import { UpgateError } from "../../core/errors.js";
import { isBase64Sha256 } from "../../core/policy/checksum.js";
import type { CompleteRequest } from "../../core/protocol.js";

function invalid(message: string): UpgateError {
  return new UpgateError("VALIDATION_FAILED", message, { details: { field: "parts" } });
}

/** A POST /v1/uploads/:id/complete body: empty, or `{ parts: [{ partNumber, etag, sha256? }] }`. */
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
    const { partNumber, etag, sha256 } = (part ?? {}) as Record<string, unknown>;
    if (!Number.isInteger(partNumber) || (partNumber as number) < 1 || (partNumber as number) > 10_000) {
      throw invalid(
        `a part number must be a whole number from 1 to 10000, got ${JSON.stringify(partNumber)}`,
      );
    }
    if (typeof etag !== "string" || etag === "" || etag.length > 256)
      throw invalid(`part ${partNumber} needs its ETag`);
    if (seen.has(partNumber as number)) throw invalid(`part ${partNumber} is listed twice`);
    seen.add(partNumber as number);
    if (sha256 !== undefined && !isBase64Sha256(sha256))
      throw invalid(`the sha256 of part ${partNumber} is not a base64 SHA-256`);
    return {
      partNumber: partNumber as number,
      etag,
      ...(sha256 === undefined ? {} : { sha256: sha256 as string }),
    };
  });
  return { parts: checked };
}

/**
 * Refuses a multipart completion that lists parts outside the plan fixed at creation: storage could
 * never hold them (no URL is signed for them), so the client is claiming bytes the upload cannot have.
 */
export function checkPartsInPlan(parts: CompleteRequest["parts"], partCount: number): void {
  const beyond = parts?.find((p) => p.partNumber > partCount);
  if (beyond) {
    throw invalid(`part ${beyond.partNumber} is not in this upload's plan of ${partCount} part(s)`);
  }
}
