import { UpgateError } from "../../core/errors.js";
import { sameEtag } from "../../core/s3/etag.js";
import type { Handler } from "../context.js";
import { storageFailure } from "../s3/api-failure.js";
import { loadOwnedUpload } from "../uploads/access.js";
import { downloadName } from "../uploads/verify/download-name.js";
import { contentDisposition } from "../uploads/verify/inline-safe.js";

/** Long enough to follow a redirect, short enough that a leaked URL is soon worthless. */
const DOWNLOAD_URL_SECONDS = 60;

/**
 * The Cache-Control storage answers the download with, whatever the object holds: the response is
 * one user's file behind a 60-second URL, so no shared cache may keep it and no browser reuse it.
 */
export const DOWNLOAD_CACHE_CONTROL = "private, no-store";

/**
 * GET /v1/files/:id: a 302 to a short-lived presigned GET of a verified upload. The object must
 * still be the one verification saw (its ETag): one changed behind the gateway is refused with 409
 * UPLOAD_CHANGED, never redirected to. Every header that shapes the response is the gateway's, as
 * signed response-* overrides: the verified type, no Content-Encoding (identity), a private
 * Cache-Control, and a Content-Disposition that is an attachment unless the type is inline-safe
 * (raster images) or the route opted it in, with a name whose extension follows the verified type.
 */
export const getFile: Handler = async (s, req) => {
  const { row } = await loadOwnedUpload(s, req, req.params.id!, { download: true });
  if (row.status !== "verified") {
    throw new UpgateError(
      "UPLOAD_STATE_CONFLICT",
      `This upload is ${row.status}; only verified files can be downloaded`,
      {
        details: { status: row.status },
      },
    );
  }
  // Rows verified before the ledger recorded ETags (schema version 4) have none to compare.
  if (row.verifiedEtag !== null) {
    const head = await s.storage.head(row.key).catch((err: unknown) => {
      throw storageFailure(err);
    });
    if (!head || !sameEtag(head.etag, row.verifiedEtag)) {
      s.log.warn("download refused: the object is not the one that was verified", {
        uploadId: row.id,
        key: row.key,
        found: head ? "changed" : "missing",
      });
      throw new UpgateError(
        "UPLOAD_CHANGED",
        "The stored file is not the one that was verified, so it is not served",
        { details: { id: row.id } },
      );
    }
  }
  const type = row.verifiedType ?? row.declaredType;
  const inlineTypes = s.config.routes.get(row.route)?.inline;
  const signed = await s.storage.presignGet(row.key, {
    expiresIn: DOWNLOAD_URL_SECONDS,
    responseContentDisposition: contentDisposition(type, downloadName(row.name, type), inlineTypes),
    responseContentType: type,
    responseCacheControl: DOWNLOAD_CACHE_CONTROL,
    responseContentEncoding: "identity",
  });
  return new Response(null, {
    status: 302,
    headers: { location: signed.url, "cache-control": "no-store", "referrer-policy": "no-referrer" },
  });
};
