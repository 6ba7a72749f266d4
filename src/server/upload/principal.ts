import { UpgateError } from "../../core/errors.js";
import { ANONYMOUS, ANONYMOUS_USER_ID, type Principal } from "../auth/principal.js";
import type { UploadRow } from "../ledger/types.js";
import type { RequestContext, Services } from "../runtime/services.js";

export function authRequired(): UpgateError {
  return new UpgateError("AUTH_REQUIRED", "Authentication required: send Authorization: Bearer <token>");
}

/** The caller, who must have credentials. */
export async function requirePrincipal(s: Services, req: RequestContext): Promise<Principal> {
  const principal = await s.authenticate(req);
  if (!principal) throw authRequired();
  req.log.userId = principal.userId;
  return principal;
}

/**
 * The upload `id` if the caller owns it. Someone else's upload is UPLOAD_NOT_FOUND, exactly like one
 * that does not exist. Without credentials only anonymous uploads of public routes are reachable:
 * their 128-bit random id is the capability; anything else is AUTH_REQUIRED, whether it exists or not.
 */
export async function loadOwnedUpload(
  s: Services,
  req: RequestContext,
  id: string,
): Promise<{ row: UploadRow; principal: Principal }> {
  const principal = await s.authenticate(req);
  const row = await s.ledger.get(id);
  if (!principal) {
    const publicRoute = row && s.config.routes.get(row.route)?.policy.public;
    if (row && publicRoute && row.userId === ANONYMOUS_USER_ID) {
      req.log.uploadId = row.id;
      return { row, principal: ANONYMOUS };
    }
    throw authRequired();
  }
  req.log.userId = principal.userId;
  if (!row || row.userId !== principal.userId) {
    throw new UpgateError("UPLOAD_NOT_FOUND", "No upload with this id belongs to you", { details: { id } });
  }
  req.log.uploadId = row.id;
  req.log.route = row.route;
  return { row, principal };
}
