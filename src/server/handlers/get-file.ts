import { UpgateError } from "../../core/errors.js";
import type { Handler } from "../runtime/services.js";
import { loadOwnedUpload } from "../upload/principal.js";
import { contentDisposition } from "../verify/inline-safe.js";

/** Long enough to follow a redirect, short enough that a leaked URL is soon worthless. */
const DOWNLOAD_URL_SECONDS = 60;

/**
 * GET /v1/files/:id: a 302 to a short-lived presigned GET of a verified upload. The response is
 * served as an attachment (with the file's name) unless its verified type is inline-safe (raster
 * images), so user-uploaded HTML or SVG never renders from the bucket's origin.
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
  const type = row.verifiedType ?? row.declaredType;
  const signed = await s.storage.presignGet(row.key, {
    expiresIn: DOWNLOAD_URL_SECONDS,
    responseContentDisposition: contentDisposition(type, row.name),
    responseContentType: type,
  });
  return new Response(null, {
    status: 302,
    headers: { location: signed.url, "cache-control": "no-store", "referrer-policy": "no-referrer" },
  });
};
