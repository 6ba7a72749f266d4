import type { CompleteRequest, UploadRecord } from "../../core/protocol.js";
import { UploadError } from "../errors.js";
import type { FileJob, FlowContext } from "./context.js";
import { retrying } from "./retrying.js";

/**
 * POST /v1/uploads/:id/complete: the gateway checks what storage holds (size, type, checksum,
 * magic bytes) and answers with the record. Completing twice is harmless, so it is retried.
 */
export async function completeUpload(
  ctx: FlowContext,
  job: FileJob,
  body: CompleteRequest,
): Promise<UploadRecord> {
  job.tracker.setPhase("verifying");
  const id = job.id!;
  const { upload } = await retrying(ctx, job, () => ctx.gateway.complete(id, body));
  if (upload.status === "rejected") {
    const reason = upload.reason ?? "REJECTED";
    throw new UploadError(
      reason === "VERIFY_CHECKSUM_MISMATCH" ? "CHECKSUM" : "GATEWAY",
      `rejected: ${reason}`,
      {
        serverCode: reason,
        file: job.entry.name,
      },
    );
  }
  job.completed = true;
  job.tracker.setPhase("done");
  return upload;
}
