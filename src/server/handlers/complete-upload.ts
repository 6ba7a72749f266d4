import type { CompleteResponse } from "../../core/protocol.js";
import { readJson } from "../http/json-body.js";
import { json } from "../http/respond.js";
import type { Handler } from "../runtime/services.js";
import { completeOnce, settledAnswer } from "../upload/complete-once.js";
import { checkPartsInPlan, parseCompleteRequest } from "../upload/complete-request.js";
import { completeChecksums } from "../upload/multipart-checksums.js";
import { loadOwnedUpload } from "../upload/principal.js";
import { takeRateToken } from "../upload/rate-limit.js";

/**
 * POST /v1/uploads/:id/complete: the client says the bytes are up; the gateway checks them in
 * storage and records the verdict. Idempotent: a verified upload answers 200 again, a rejected
 * one 422 with the same code, both from the ledger alone. Concurrent completes of one upload share
 * one verification (one per process through the single flight, one across instances through the
 * ledger's lease) and its answer; each such verification takes a token of the route's complete
 * rate limit.
 */
export const completeUpload: Handler = async (s, req) => {
  const { row, principal } = await loadOwnedUpload(s, req, req.params.id!);
  const body = parseCompleteRequest(await readJson(req, s.config.limits.maxBodyBytes), row.checksumAlgorithm);
  if (row.strategy === "multipart" && row.partCount !== null) checkPartsInPlan(body.parts, row.partCount);
  const required = s.config.routes.get(row.route)?.policy.checksum === "required";
  const checksums = settledAnswer(row) ? undefined : completeChecksums(row, body, required);
  const upload =
    settledAnswer(row) ??
    (await s.completions.run(row.id, async () => {
      const route = s.config.routes.get(row.route);
      if (route) await takeRateToken(s.ledger, route, principal, req.clientIp, "complete");
      return completeOnce(s, row.id, {
        parts: body.parts,
        checksums,
        by: { completedBy: "client", principal, request: req.request },
      });
    }));
  return json(200, { upload } satisfies CompleteResponse);
};
