import { UpgateError } from "../../../core/errors.js";
import { planParts } from "../../../core/policy/parts.js";
import type { CompleteRequest } from "../../../core/protocol.js";
import type { UploadRow } from "../../ledger/types.js";
import type { PartChecksums } from "../verify/part-checksums.js";

/**
 * The part SHA-256s a complete request gives for a multipart upload, with the planned sizes: all or
 * nothing. Undefined when the request gives none (or the upload is not multipart); a request that
 * gives some but not every planned part's is refused, since a partial list could not be checked.
 */
export function partChecksums(row: UploadRow, parts: CompleteRequest["parts"]): PartChecksums | undefined {
  if (row.strategy !== "multipart" || row.partSize === null) return undefined;
  const given = new Map<number, string>();
  for (const part of parts ?? []) if (part.sha256 !== undefined) given.set(part.partNumber, part.sha256);
  if (given.size === 0) return undefined;
  const { sizes } = planParts(row.declaredSize, row.partSize);
  const missing = sizes.map((_, i) => i + 1).filter((n) => !given.has(n));
  if (missing.length > 0) {
    throw new UpgateError(
      "VALIDATION_FAILED",
      `sha256 is given for some parts but not for part(s) ${missing.slice(0, 10).join(", ")}: give it for every part or none`,
      { details: { field: "parts", missing: missing.slice(0, 1000) } },
    );
  }
  return { sha256s: sizes.map((_, i) => given.get(i + 1)!), sizes };
}
