import { UpgateError } from "../../core/errors.js";
import type { UploadRecord } from "../../core/protocol.js";
import type { UploadRow } from "../ledger/types.js";
import type { Services } from "../runtime/services.js";
import type { SweepCompletion } from "../sweep/types.js";
import { verifyObject } from "../verify/verify-object.js";
import type { Completer } from "./after-verified.js";
import { settledAnswer, stillVerifying, verifyHeld } from "./complete-once.js";
import { partProblems, UPLOAD_GONE } from "./multipart-finish.js";
import { isStorageCode } from "./storage-failure.js";
import { claimLease } from "./verification-lease.js";
import { expectationFor } from "./verify-upload.js";

const SWEEPER: Completer = { completedBy: "sweeper" };

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The sweeper's `complete`, for an upload whose URLs lapsed before anyone completed it (a closed
 * tab, a lost answer). Nothing stored (or not every planned part, at its planned size): "absent".
 * Otherwise it completes the upload as a complete request without part checksums would, through
 * the same single flight and verification lease, so a concurrent complete and the sweeper never
 * both verify: the route's hook and webhook hear `completedBy: "sweeper"`. A dry run only reads:
 * the object is verified where it is, without promotion or a verdict; a multipart upload whose
 * parts are all stored counts as one that would be verified.
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
  // Set by our own attempt; a complete already in flight here, which we joined, leaves it "left".
  let verdict: SweepCompletion = { outcome: "left" };
  await s.completions
    .run(row.id, () =>
      completeUnattended(s, row.id, (v) => {
        verdict = v;
      }),
    )
    .catch(() => {});
  return verdict;
}

/** Whether there is anything to verify: the object, or every planned part at its planned size. */
async function looksStored(s: Services, row: UploadRow): Promise<boolean> {
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

async function wouldComplete(s: Services, row: UploadRow): Promise<SweepCompletion> {
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
 * completeOnce for nobody: the same steps (pending to uploaded, the lease, finish and verify), but
 * when another holder has the lease it does not wait for it, and what happened is told to `report`.
 * Resolves or rejects as completeOnce would, for a complete request that joined this flight.
 */
async function completeUnattended(
  s: Services,
  id: string,
  report: (verdict: SweepCompletion) => void,
): Promise<UploadRecord> {
  const row = await s.ledger.get(id);
  if (!row) throw new UpgateError("UPLOAD_NOT_FOUND", "No upload with this id belongs to you");
  const settled = settledAnswer(row);
  if (settled) return settled;
  const uploaded = row.status === "uploaded" ? row : await s.ledger.transition(id, ["pending"], "uploaded");
  const lease = uploaded && (await claimLease(s.ledger, id, crypto.randomUUID()));
  if (!lease) return answerNow(s, id);
  try {
    const upload = await verifyHeld(s, lease.row, { parts: undefined, checksums: undefined, by: SWEEPER });
    if (!upload) return await answerNow(s, id);
    report({ outcome: "verified", key: upload.key });
    return upload;
  } catch (err) {
    report(verdictOf(err));
    throw err;
  } finally {
    await lease.release();
  }
}

/** The answer the ledger holds now that someone else moved the row (or is verifying it). */
async function answerNow(s: Services, id: string): Promise<UploadRecord> {
  const row = await s.ledger.get(id);
  const settled = row && settledAnswer(row);
  if (settled) return settled;
  throw stillVerifying();
}

function verdictOf(err: unknown): SweepCompletion {
  if (!(err instanceof UpgateError)) return { outcome: "failed", message: message(err) };
  // verifyUpload and verifyHeld put the row back to "pending" first: it expires after the grace.
  if (err.code === "UPLOAD_NOT_UPLOADED") return { outcome: "absent" };
  if (err.code === "UPLOAD_CHANGED" || err.code === "UPLOAD_STATE_CONFLICT") return { outcome: "left" };
  if (err.code.startsWith("VERIFY_")) return { outcome: "rejected", code: err.code };
  return { outcome: "failed", message: message(err) };
}
