import { UpgateError } from "../../core/errors.js";
import {
  isBase64Checksum,
  ROUTE_CHECKSUM_ALGORITHMS,
  S3_ALGORITHM,
} from "../../core/policy/checksum-algorithm.js";
import type { RouteChecksumAlgorithm } from "../../core/protocol.js";

const MAX_PARTS_PER_REQUEST = 1000;

function invalid(message: string, field: string): UpgateError {
  return new UpgateError("VALIDATION_FAILED", message, { details: { field } });
}

/** A checked parts request: the part numbers and, per part, the checksum to sign (route's algorithm). */
export interface CheckedPartsRequest {
  partNumbers: number[];
  checksums: Record<string, string>;
}

/**
 * A POST /v1/uploads/:id/parts body, checked against the upload's part count. Part checksums come in
 * the field of the upload's algorithm (`sha256`, `crc64nvme` or `crc32c`); another algorithm's field
 * is refused, naming the right one.
 */
export function parsePartsRequest(
  body: unknown,
  partCount: number,
  algorithm: RouteChecksumAlgorithm = "sha256",
): CheckedPartsRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid('The body must be a JSON object like { "partNumbers": [1, 2] }', "body");
  }
  const { partNumbers, ...rest } = body as Record<string, unknown>;
  const given = rest[algorithm];
  delete rest[algorithm];
  const other = ROUTE_CHECKSUM_ALGORITHMS.find((a) => a in rest);
  if (other !== undefined) {
    throw invalid(
      `this upload's parts are checked with ${algorithm}; send ${algorithm}, not ${other}`,
      other,
    );
  }
  if (Object.keys(rest).length > 0) {
    throw invalid(
      `Unknown fields: ${Object.keys(rest).slice(0, 5).join(", ")} (allowed: partNumbers, ${algorithm})`,
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
  if (given !== undefined) {
    if (typeof given !== "object" || given === null || Array.isArray(given)) {
      throw invalid(
        `${algorithm} must map part numbers to base64 ${S3_ALGORITHM[algorithm]} values`,
        algorithm,
      );
    }
    for (const [part, value] of Object.entries(given)) {
      if (!seen.has(Number(part)) || String(Number(part)) !== part) {
        throw invalid(
          `${algorithm} names part ${JSON.stringify(part)}, which partNumbers does not list`,
          algorithm,
        );
      }
      if (!isBase64Checksum(algorithm, value)) {
        throw invalid(`${algorithm} of part ${part} is not a base64 ${S3_ALGORITHM[algorithm]}`, algorithm);
      }
      checksums[part] = value;
    }
  }
  return { partNumbers: partNumbers as number[], checksums };
}
