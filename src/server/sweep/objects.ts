import { compareKeys } from "../../core/s3/key-order.js";
import type { SweepPosition } from "./cursor.js";
import { deleteObject, exhausted, olderThanCutoff, type SweepRun } from "./run.js";

/** Statuses whose row keeps its object: verified, or still on its way. */
const KEEPING = ["verified", "pending", "uploaded"] as const;

/** The listing page (its continuation token) and key a run stopped at. */
export type ObjectMarker = { token?: string; atKey: string };

/**
 * (c) Deletes the objects under `prefix` that no verified, pending or uploaded row owns and that
 * were last modified before the cutoff. Returns where to resume, or undefined when the prefix is done.
 */
export async function deleteOrphanObjects(
  run: SweepRun,
  prefix: string,
  resumeAt: ObjectMarker | undefined,
): Promise<SweepPosition | undefined> {
  let token = resumeAt?.token;
  let skipBefore = resumeAt?.atKey;
  do {
    const page = await run.storage.listObjects(prefix, token);
    for (const object of page.objects) {
      if (skipBefore !== undefined && compareKeys(object.key, skipBefore) < 0) continue;
      run.report.scanned.objects++;
      if (!olderThanCutoff(run, object.lastModified)) continue;
      if (await run.ledger.ownsKey(run.bucket, object.key, KEEPING)) continue;
      if (exhausted(run)) {
        return token === undefined
          ? { phase: "objects", prefix, atKey: object.key }
          : { phase: "objects", prefix, token, atKey: object.key };
      }
      await deleteObject(run, object.key, "orphan");
      run.remaining--;
    }
    skipBefore = undefined;
    token = page.next;
  } while (token !== undefined);
  return undefined;
}
