import { UpgateError } from "../../core/errors.js";
import { planParts } from "../../core/policy/parts.js";
import type { CompleteRequest } from "../../core/protocol.js";
import type { UploadRow } from "../ledger/types.js";
import { expectedWhole } from "../verify/upload-checksum.js";

/** What a complete request gives to check a multipart object with, in the upload's algorithm. */
export interface CompleteChecksums {
  /** Every planned part's checksum (the one signed into its URL), in part order, with the planned sizes. */
  parts?: { values: string[]; sizes: number[] };
  /** CRC uploads: the whole file's value (FULL_OBJECT), passed to CompleteMultipartUpload. */
  whole?: string;
}

function invalid(message: string, details: Record<string, unknown>): UpgateError {
  return new UpgateError("VALIDATION_FAILED", message, { details });
}

/**
 * The checksums a complete request gives for a multipart upload. Part checksums are all or nothing:
 * a request that gives some but not every planned part's is refused, since a partial list could not be
 * checked. A CRC upload's whole-file value must be the one declared at create, if any, and the
 * combination of the parts' CRCs when both are given. `required` (the route's checksum mode) makes
 * a CRC upload without any value a POLICY_CHECKSUM_REQUIRED. Undefined when nothing is given (or the
 * upload is not multipart).
 */
export function completeChecksums(
  row: UploadRow,
  body: CompleteRequest,
  required = false,
): CompleteChecksums | undefined {
  if (row.strategy !== "multipart" || row.partSize === null) return undefined;
  const algorithm = row.checksumAlgorithm;
  const given = new Map<number, string>();
  for (const part of body.parts ?? []) {
    const value = part[algorithm];
    if (value !== undefined) given.set(part.partNumber, value);
  }
  const { sizes } = planParts(row.declaredSize, row.partSize);
  const missing = sizes.map((_, i) => i + 1).filter((n) => !given.has(n));
  if (given.size > 0 && missing.length > 0) {
    throw invalid(
      `${algorithm} is given for some parts but not for part(s) ${missing.slice(0, 10).join(", ")}: give it for every part or none`,
      { field: "parts", missing: missing.slice(0, 1000) },
    );
  }
  const parts = given.size > 0 ? { values: sizes.map((_, i) => given.get(i + 1)!), sizes } : undefined;
  const sent = algorithm === "sha256" ? undefined : body[algorithm];
  if (sent !== undefined && row.checksum !== null && sent !== row.checksum) {
    throw invalid(`${algorithm} differs from the one declared when the upload was created`, {
      field: algorithm,
      declared: row.checksum,
    });
  }
  if (sent !== undefined && parts) {
    const combined = expectedWhole({ algorithm, parts });
    if (combined !== sent) {
      throw invalid(`${algorithm} is not the parts' ${algorithm} values combined (${combined})`, {
        field: algorithm,
        combined,
      });
    }
  }
  const whole = sent ?? (algorithm === "sha256" ? undefined : (row.checksum ?? undefined));
  if (required && algorithm !== "sha256" && whole === undefined && !parts) {
    throw new UpgateError(
      "POLICY_CHECKSUM_REQUIRED",
      `This route requires the file's ${algorithm}: give it at the top level, or every part's`,
      { details: { field: algorithm } },
    );
  }
  if (!parts && whole === undefined) return undefined;
  return { ...(parts && { parts }), ...(whole !== undefined && { whole }) };
}
