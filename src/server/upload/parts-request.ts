import { UpgateError } from "../../core/errors.js";
import { isBase64Sha256 } from "../../core/policy/checksum.js";
import type { PartsRequest } from "../../core/protocol.js";

const MAX_PARTS_PER_REQUEST = 1000;

function invalid(message: string, field: string): UpgateError {
  return new UpgateError("VALIDATION_FAILED", message, { details: { field } });
}

/** A POST /v1/uploads/:id/parts body, checked against the upload's part count. */
export function parsePartsRequest(body: unknown, partCount: number): Required<Pick<PartsRequest, "partNumbers" | "sha256">> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid('The body must be a JSON object like { "partNumbers": [1, 2] }', "body");
  }
  const { partNumbers, sha256, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length > 0) {
    throw invalid(
      `Unknown fields: ${Object.keys(rest).slice(0, 5).join(", ")} (allowed: partNumbers, sha256)`,
      "body",
    );
  }
  if (!Array.isArray(partNumbers) || partNumbers.length === 0 || partNumbers.length > MAX_PARTS_PER_REQUEST) {
    throw invalid(`partNumbers must list 1 to ${MAX_PARTS_PER_REQUEST} part numbers`, "partNumbers");
  }
  const seen = new Set<number>();
  for (const n of partNumbers) {
    if (!Number.isInteger(n) || n < 1 || n > partCount) {
      throw invalid(`part numbers go from 1 to ${partCount}; got ${JSON.stringify(n)}`, "partNumbers");
    }
    if (seen.has(n)) throw invalid(`part ${n} is listed twice`, "partNumbers");
    seen.add(n);
  }
  const checksums: Record<string, string> = {};
  if (sha256 !== undefined) {
    if (typeof sha256 !== "object" || sha256 === null || Array.isArray(sha256)) {
      throw invalid("sha256 must map part numbers to base64 SHA-256 values", "sha256");
    }
    for (const [part, value] of Object.entries(sha256)) {
      if (!seen.has(Number(part)) || String(Number(part)) !== part) {
        throw invalid(`sha256 names part ${JSON.stringify(part)}, which partNumbers does not list`, "sha256");
      }
      if (!isBase64Sha256(value)) throw invalid(`sha256 of part ${part} is not a base64 SHA-256`, "sha256");
      checksums[part] = value;
    }
  }
  return { partNumbers: partNumbers as number[], sha256: checksums };
}
