import type { CompleteResponse } from "../../core/protocol.js";
import type { Handler } from "../context.js";
import { readJson } from "../http/json-body.js";
import { json } from "../http/respond.js";
import { loadOwnedUpload } from "./access.js";
import { completeOnce, settledAnswer } from "./complete/complete-once.js";
import { completeChecksums } from "./complete/multipart-checksums.js";
import { checkPartsInPlan, parseCompleteRequest } from "./complete-request.js";
import { takeRateToken } from "./rate-limit.js";

/**
 * POST /v1/uploads/:id/complete: the client says the bytes are up; the gateway checks them in
 * storage and records the verdict. Idempotent: a verified upload answers 200 again, a rejected
 * one 422 with the same code, both from the ledger alone. Concurrent completes of one upload share
 * one verification (one per process through the single flight, one across instances through the
 * ledger's lease) and its answer; each such verification takes a token of the route's complete
 * rate limit.
 *
 * The steps, in complete/: complete-once.ts (the lease; then, as its holder) multipart-finish.ts
 * (ListParts against the plan, CompleteMultipartUpload) -> verify-upload.ts (verify/verify-object.ts:
 * HEAD, stored headers, checksum, sniffed type; then promote.ts for a POST upload, or
 * dispose-rejected.ts) -> after-verified.ts (the route's hook, the webhook). The sweeper completes
 * lapsed uploads through the same steps (sweeper-complete.ts).
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
