import { UpgateError } from "../../core/errors.js";
import type { CompleteResponse } from "../../core/protocol.js";
import { readJson } from "../http/json-body.js";
import { json } from "../http/respond.js";
import type { UploadRow } from "../ledger/types.js";
import type { Handler } from "../runtime/services.js";
import { afterVerified } from "../upload/after-verified.js";
import { checkPartsInPlan, parseCompleteRequest } from "../upload/complete-request.js";
import { partChecksums } from "../upload/multipart-checksums.js";
import { finishMultipart } from "../upload/multipart-finish.js";
import { loadOwnedUpload } from "../upload/principal.js";
import { toUploadRecord } from "../upload/record.js";
import { rejectionError, verifyUpload } from "../upload/verify-upload.js";

/** Attempts before giving up on a row other calls keep changing. */
const MAX_ATTEMPTS = 3;

function unknownUpload(id: string): UpgateError {
  return new UpgateError("UPLOAD_NOT_FOUND", "No upload with this id belongs to you", { details: { id } });
}

/**
 * POST /v1/uploads/:id/complete: the client says the bytes are up; the gateway checks them in
 * storage and records the verdict. Idempotent: a verified upload answers 200 again, a rejected
 * one 422 with the same code.
 */
export const completeUpload: Handler = async (s, req) => {
  const { row: owned, principal } = await loadOwnedUpload(s, req, req.params.id!);
  const body = parseCompleteRequest(await readJson(req, s.config.limits.maxBodyBytes));
  if (owned.strategy === "multipart" && owned.partCount !== null)
    checkPartsInPlan(body.parts, owned.partCount);
  const parts = partChecksums(owned, body.parts);
  let row: UploadRow = owned;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (row.status === "verified")
      return json(200, { upload: toUploadRecord(row) } satisfies CompleteResponse);
    if (row.status === "rejected") throw rejectionError(row);
    if (row.status === "expired" || row.status === "aborted") {
      throw new UpgateError(
        "UPLOAD_STATE_CONFLICT",
        `This upload is ${row.status} and can no longer be completed`,
        {
          details: { status: row.status },
        },
      );
    }
    const uploaded =
      row.status === "uploaded" ? row : await s.ledger.transition(row.id, ["pending"], "uploaded");
    if (uploaded) {
      if (uploaded.strategy === "multipart") {
        try {
          await finishMultipart(s.storage, uploaded, body.parts);
        } catch (err) {
          if (err instanceof UpgateError && err.code === "UPLOAD_NOT_UPLOADED") {
            await s.ledger.transition(uploaded.id, ["uploaded"], "pending");
          }
          throw err;
        }
      }
      const outcome = await verifyUpload(s, uploaded, parts);
      if ("verified" in outcome) {
        const upload = toUploadRecord(outcome.verified);
        await afterVerified(
          s,
          s.config.routes.get(uploaded.route),
          outcome.verified,
          upload,
          principal,
          req.request,
        );
        return json(200, { upload } satisfies CompleteResponse);
      }
    }
    const current = await s.ledger.get(row.id);
    if (!current) throw unknownUpload(row.id);
    row = current;
  }
  throw new UpgateError("UPLOAD_STATE_CONFLICT", "The upload is being changed by another request; try again");
};
