import { UpgateError } from "../../core/errors.js";
import {
  isBase64Checksum,
  ROUTE_CHECKSUM_ALGORITHMS,
  S3_ALGORITHM,
} from "../../core/policy/checksum-algorithm.js";
import type { CompleteRequest, RouteChecksumAlgorithm } from "../../core/protocol.js";

function invalid(message: string): UpgateError {
  return new UpgateError("VALIDATION_FAILED", message, { details: { field: "parts" } });
}

/**
 * A POST /v1/uploads/:id/complete body: empty, or `{ parts: [{ partNumber, etag, <algorithm>? }] }`
 * with the part checksums in the upload's algorithm, and for CRC algorithms the whole file's value
 * at the top level (`{ parts, crc64nvme }`). Another algorithm's field is refused, naming the right one.
 */
export function parseCompleteRequest(
  body: unknown,
  algorithm: RouteChecksumAlgorithm = "sha256",
): CompleteRequest {
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid(
      'The body must be empty or a JSON object like { "parts": [{ "partNumber": 1, "etag": "..." }] }',
    );
  }
  const { parts, ...rest } = body as Record<string, unknown>;
  const whole = algorithm === "sha256" ? undefined : rest[algorithm];
  if (algorithm !== "sha256") delete rest[algorithm];
  const other = ROUTE_CHECKSUM_ALGORITHMS.find((a) => a in rest);
  if (other !== undefined) {
    throw invalid(
      other === algorithm
        ? `the whole-file ${algorithm} is only given for CRC uploads (the parts' SHA-256s make S3's composite)`
        : `this upload is checked with ${algorithm}; send ${algorithm}, not ${other}`,
    );
  }
  if (Object.keys(rest).length > 0) {
    const allowed = algorithm === "sha256" ? "parts" : `parts, ${algorithm}`;
    throw invalid(`Unknown fields: ${Object.keys(rest).slice(0, 5).join(", ")} (allowed: ${allowed})`);
  }
  if (whole !== undefined && !isBase64Checksum(algorithm, whole)) {
    throw invalid(`${algorithm} is not a base64 ${S3_ALGORITHM[algorithm]}`);
  }
  const top = whole === undefined ? {} : { [algorithm]: whole as string };
  if (parts === undefined) return top;
  if (!Array.isArray(parts) || parts.length > 10_000)
    throw invalid("parts must be a list of { partNumber, etag }");
  const seen = new Set<number>();
  const checked = parts.map((part) => {
    const { partNumber, etag, ...fields } = (part ?? {}) as Record<string, unknown>;
    const checksum = fields[algorithm];
    if (!Number.isInteger(partNumber) || (partNumber as number) < 1 || (partNumber as number) > 10_000) {
      throw invalid(
        `a part number must be a whole number from 1 to 10000, got ${JSON.stringify(partNumber)}`,
      );
    }
    if (typeof etag !== "string" || etag === "" || etag.length > 256)
      throw invalid(`part ${partNumber} needs its ETag`);
    if (seen.has(partNumber as number)) throw invalid(`part ${partNumber} is listed twice`);
    seen.add(partNumber as number);
    const wrong = ROUTE_CHECKSUM_ALGORITHMS.find((a) => a !== algorithm && fields[a] !== undefined);
    if (wrong !== undefined) {
      throw invalid(
        `part ${partNumber}: this upload is checked with ${algorithm}; send ${algorithm}, not ${wrong}`,
      );
    }
    if (checksum !== undefined && !isBase64Checksum(algorithm, checksum)) {
      throw invalid(`the ${algorithm} of part ${partNumber} is not a base64 ${S3_ALGORITHM[algorithm]}`);
    }
    return {
      partNumber: partNumber as number,
      etag,
      ...(checksum === undefined ? {} : { [algorithm]: checksum as string }),
    };
  });
  return { ...top, parts: checked };
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
