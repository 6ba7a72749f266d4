import { UpgateError } from "../../core/errors.js";
import { planParts } from "../../core/policy/parts.js";
import type { PartsResponse } from "../../core/protocol.js";
import type { Handler } from "../context.js";
import { readJson } from "../http/json-body.js";
import { json } from "../http/respond.js";
import { storageFailure } from "../s3/api-failure.js";
import { loadOwnedUpload } from "./access.js";
import { multipartChecksumHeaders, partsNeedChecksum } from "./checksum-headers.js";
import { uploadedPart } from "./part-checksum-fields.js";
import { parsePartsRequest, requirePartChecksums } from "./parts-request.js";
import { signParts } from "./sign.js";

/**
 * POST /v1/uploads/:id/parts: fresh URLs for parts of a pending multipart upload (after expiry, or
 * to bind a part's SHA-256), and the parts storage already holds, so a client can resume. The
 * upload's expiry moves to the new URLs'. On an upload created COMPOSITE SHA-256 (the create answer
 * listed no part URLs), every part asked for must come with its SHA-256.
 */
export const uploadParts: Handler = async (s, req) => {
  const { row } = await loadOwnedUpload(s, req, req.params.id!);
  if (
    row.strategy !== "multipart" ||
    row.multipartUploadId === null ||
    row.partSize === null ||
    row.partCount === null
  ) {
    throw new UpgateError("UPLOAD_STATE_CONFLICT", "This upload is not a multipart upload", {
      details: { strategy: row.strategy },
    });
  }
  if (row.status !== "pending") {
    throw new UpgateError(
      "UPLOAD_STATE_CONFLICT",
      `This upload is ${row.status}; part URLs are only given while it is pending`,
      {
        details: { status: row.status },
      },
    );
  }
  const route = s.config.routes.get(row.route);
  if (!route) {
    throw new UpgateError(
      "ROUTE_NOT_FOUND",
      `The upload's route ${JSON.stringify(row.route)} is no longer configured`,
    );
  }
  const body = parsePartsRequest(
    await readJson(req, s.config.limits.maxBodyBytes),
    row.partCount,
    row.checksumAlgorithm,
  );
  // The headers the upload was created with (sign.ts), so this and the create answer agree.
  if (partsNeedChecksum(multipartChecksumHeaders(row.checksumAlgorithm))) {
    requirePartChecksums(body, row.checksumAlgorithm);
  }
  const plan = planParts(row.declaredSize, row.partSize);
  const window = await s.storage.urlWindow(route.policy.expiresIn).catch((err: unknown) => {
    throw storageFailure(err);
  });
  const expiresAt = window.expiresAt;
  const target = { key: row.key, uploadId: row.multipartUploadId };
  const [parts, uploaded] = await Promise.all([
    signParts(s.storage, target, plan, body.partNumbers, window, body.checksums, row.checksumAlgorithm),
    s.storage.listParts(row.key, row.multipartUploadId).catch((err: unknown) => {
      throw storageFailure(err);
    }),
    s.ledger.extendExpiry(row.id, expiresAt),
  ]);
  s.metrics.signatures.inc({ strategy: "multipart" }, parts.length);
  const response: PartsResponse = {
    parts,
    uploaded: uploaded.map((part) => uploadedPart(part, row.checksumAlgorithm)),
    expiresAt: expiresAt.toISOString(),
  };
  return json(200, response);
};
