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
 * is refused, naming the right one. An empty `partNumbers` signs nothing: it only asks which parts
 * storage holds (a resuming client, before it has hashed a part).
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
  if (!Array.isArray(partNumbers) || partNumbers.length > MAX_PARTS_PER_REQUEST) {
    throw invalid(`partNumbers must list 0 to ${MAX_PARTS_PER_REQUEST} part numbers`, "partNumbers");
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

/**
 * Refuses a request that names a part without its checksum, for an upload whose storage refuses such
 * a part (one created COMPOSITE SHA-256): its URL would only fail once the bytes are sent, in
 * storage's words. All or nothing: one part without its checksum and no URL is signed.
 */
export function requirePartChecksums(request: CheckedPartsRequest, algorithm: RouteChecksumAlgorithm): void {
  const missing = request.partNumbers.filter((n) => request.checksums[String(n)] === undefined);
  if (missing.length === 0) return;
  const listed = missing.slice(0, 10).join(", ") + (missing.length > 10 ? ", …" : "");
  throw new UpgateError(
    "POLICY_CHECKSUM_REQUIRED",
    `Storage checks each part of this upload against the part's own ${algorithm}, so each part's URL must bind it: give ${algorithm} for part${missing.length > 1 ? "s" : ""} ${listed}`,
    { details: { field: algorithm, missing } },
  );
}
