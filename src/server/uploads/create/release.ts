import type { Services } from "../../context.js";
import type { PlannedUpload } from "../plan.js";
import { abortStarted } from "./multipart-start.js";

/** Gives back the quota of reserved rows that will never be signed (they become "aborted"). */
export async function releaseReservations(s: Services, planned: readonly PlannedUpload[]): Promise<void> {
  await Promise.all(
    planned.map(async (p) => {
      try {
        await s.ledger.transition(p.row.id, ["pending"], "aborted", {
          reason: "SIGNING_FAILED",
          forgetIdempotency: true,
        });
      } catch (err) {
        s.log.error("could not release a reservation; it expires with its URLs", err, { uploadId: p.row.id });
      }
    }),
  );
  await abortStarted(s.storage, planned, s.log);
}
