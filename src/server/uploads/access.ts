import { UpgateError } from "../../core/errors.js";
import type { Authenticate } from "../auth/authenticate.js";
import type { RequestContext, Services } from "../context.js";
import type { Ledger, UploadRow } from "../ledger/types.js";
import { ANONYMOUS, ANONYMOUS_USER_ID, type Principal } from "../principal.js";
import { CAPABILITY_HEADER, DOWNLOAD_TOKEN_PARAM, matchesHash } from "./capability.js";
import { authRequired, uploadNotFound } from "./errors.js";

/** Without credentials on an upload: the same answer whether the upload exists or not. */
function capabilityRequired(): UpgateError {
  return new UpgateError(
    "AUTH_REQUIRED",
    "Authentication required: send Authorization: Bearer <token>, or an anonymous upload's capability in the Upgate-Capability header",
  );
}

/** The caller, who must have credentials. */
export async function requirePrincipal(authenticate: Authenticate, req: RequestContext): Promise<Principal> {
  const principal = await authenticate(req);
  if (!principal) throw authRequired();
  req.log.userId = principal.userId;
  return principal;
}

/**
 * The upload `id` if the caller owns it. Someone else's upload is UPLOAD_NOT_FOUND, exactly like one
 * that does not exist. Without credentials only anonymous uploads of public routes are reachable,
 * and only with the upload's capability (the Upgate-Capability header, matched against the hash the
 * ledger keeps): the upload id alone grants nothing. Anything else is AUTH_REQUIRED, whether it
 * exists or not.
 *
 * With `download`, a `?token=` download token (shareable links) is accepted instead, whoever sends
 * it: it grants this read and nothing else.
 */
export async function loadOwnedUpload(
  s: Pick<Services, "authenticate" | "ledger" | "config">,
  req: RequestContext,
  id: string,
  options: { download?: boolean } = {},
): Promise<{ row: UploadRow; principal: Principal }> {
  const token = options.download ? req.url.searchParams.get(DOWNLOAD_TOKEN_PARAM) : null;
  if (token !== null) return loadByDownloadToken(s.ledger, req, id, token);
  const principal = await s.authenticate(req);
  const row = await s.ledger.get(id);
  if (!principal) {
    const publicRoute = row && s.config.routes.get(row.route)?.policy.public;
    const capable = await matchesHash(req.headers.get(CAPABILITY_HEADER), row?.capabilityHash ?? null);
    if (row && publicRoute && row.userId === ANONYMOUS_USER_ID && capable) {
      req.log.uploadId = row.id;
      req.log.route = row.route;
      return { row, principal: ANONYMOUS };
    }
    throw capabilityRequired();
  }
  req.log.userId = principal.userId;
  if (!row || row.userId !== principal.userId) {
    throw uploadNotFound(id);
  }
  req.log.uploadId = row.id;
  req.log.route = row.route;
  return { row, principal };
}

async function loadByDownloadToken(
  ledger: Ledger,
  req: RequestContext,
  id: string,
  token: string,
): Promise<{ row: UploadRow; principal: Principal }> {
  const row = await ledger.get(id);
  if (!(await matchesHash(token, row?.downloadTokenHash ?? null)) || !row) {
    throw new UpgateError("AUTH_INVALID", "Invalid credentials: the download token does not match this file");
  }
  req.log.uploadId = row.id;
  req.log.route = row.route;
  return { row, principal: ANONYMOUS };
}
