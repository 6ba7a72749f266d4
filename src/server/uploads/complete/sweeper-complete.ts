import { UpgateError } from "../../../core/errors.js";
import type { Services } from "../../context.js";
import type { UploadRow } from "../../ledger/types.js";
import { isStorageCode } from "../../s3/api-failure.js";
import type { SweepCompletion } from "../../sweep/types.js";
import { verifyObject } from "../verify/verify-object.js";
import type { Completer } from "./after-verified.js";
import { verifyHeld } from "./complete-once.js";
import { partProblems, UPLOAD_GONE } from "./multipart-finish.js";
import { claimLease } from "./verification-lease.js";
import { expectationFor } from "./verify-upload.js";

const SWEEPER: Completer = { completedBy: "sweeper" };

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The sweeper's `complete`, for an upload whose URLs lapsed before anyone completed it (a closed
 * tab, a lost answer). Nothing stored (or not every planned part, at its planned size): "absent".
 * Otherwise it completes the upload as a complete request without part checksums would, under the
 * same verification lease, so a concurrent complete and the sweeper never both verify: a complete
 * that comes meanwhile waits for the sweeper's verdict, as it would for another instance's; the
 * sweeper leaves an upload whose lease someone else holds. The route's hook and webhook hear
 * `completedBy: "sweeper"`. A dry run only reads: the object is verified where it is, without
 * promotion or a verdict; a multipart upload whose parts are all stored counts as one that would
 * be verified.
 */
export async function sweeperComplete(
  s: Services,
  row: UploadRow,
  dryRun: boolean,
): Promise<SweepCompletion> {
  try {
    if (!(await looksStored(s, row))) return { outcome: "absent" };
    if (dryRun) return await wouldComplete(s, row);
  } catch (err) {
    return { outcome: "failed", message: message(err) };
  }
  return completeUnattended(s, row.id);
}

/** Whether there is anything to verify: the object, or every planned part at its planned size. */
async function looksStored(s: Pick<Services, "storage">, row: UploadRow): Promise<boolean> {
  if (row.strategy === "multipart" && row.multipartUploadId !== null && row.partSize !== null) {
    try {
      const parts = await s.storage.listParts(row.key, row.multipartUploadId);
      return partProblems(row, parts, undefined).ok;
    } catch (err) {
      // Already assembled (a complete cut short before its verdict), or aborted: the object says which.
      if (!isStorageCode(err, ...UPLOAD_GONE)) throw err;
    }
  }
  return (await s.storage.head(row.key)) !== undefined;
}

async function wouldComplete(
  s: Pick<Services, "storage" | "config">,
  row: UploadRow,
): Promise<SweepCompletion> {
  if (row.strategy === "multipart" && (await s.storage.head(row.key)) === undefined) {
    return { outcome: "verified", key: row.key };
  }
  const result = await verifyObject(s.storage, expectationFor(s, row));
  if (result.ok) return { outcome: "verified", key: row.key };
  if (result.code === "UPLOAD_NOT_UPLOADED") return { outcome: "absent" };
  if (result.code === "UPLOAD_CHANGED") return { outcome: "left" };
  return { outcome: "rejected", code: result.code };
}

/**
 * completeOnce's steps for nobody (pending to uploaded, the lease, finish and verify), except that
 * it never waits: an upload settled meanwhile, or whose lease another holder has, is left.
 */
async function completeUnattended(s: Services, id: string): Promise<SweepCompletion> {
  const row = await s.ledger.get(id);
  if (row?.status !== "pending" && row?.status !== "uploaded") return { outcome: "left" };
  const uploaded = row.status === "uploaded" ? row : await s.ledger.transition(id, ["pending"], "uploaded");
  const lease = uploaded && (await claimLease(s.ledger, id, crypto.randomUUID()));
  if (!lease) return { outcome: "left" };
  try {
    const upload = await verifyHeld(s, lease.row, { parts: undefined, checksums: undefined, by: SWEEPER });
    return upload ? { outcome: "verified", key: upload.key } : { outcome: "left" };
  } catch (err) {
    return verdictOf(err);
  } finally {
    await lease.release();
  }
}

function verdictOf(err: unknown): SweepCompletion {
  if (!(err instanceof UpgateError)) return { outcome: "failed", message: message(err) };
  // verifyUpload and verifyHeld put the row back to "pending" first: it expires after the grace.
  if (err.code === "UPLOAD_NOT_UPLOADED") return { outcome: "absent" };
  if (err.code === "UPLOAD_CHANGED") return { outcome: "left" };
  if (err.code.startsWith("VERIFY_")) return { outcome: "rejected", code: err.code };
  return { outcome: "failed", message: message(err) };
}
