import type { UploadRecord } from "../../../core/protocol.js";
import type { ResolvedRoute } from "../../config/resolved.js";
import type { Services } from "../../context.js";
import type { UploadRow } from "../../ledger/types.js";
import type { Principal } from "../../principal.js";
import { ANONYMOUS, ANONYMOUS_USER_ID } from "../../principal.js";

/** Who completed an upload: the uploader's complete request, or the sweeper (no request at all). */
export type Completer =
  | { completedBy: "client"; principal: Principal; request: Request }
  | { completedBy: "sweeper" };

/** The uploader as the ledger recorded it: all the sweeper knows (no claims, no credentials). */
export function recordedPrincipal(row: UploadRow): Principal {
  return row.userId === ANONYMOUS_USER_ID ? ANONYMOUS : { userId: row.userId, via: "ledger" };
}

/**
 * The route's onUploadComplete hook (awaited) and webhook (in the background, with its own retries).
 * Neither can turn a verified upload into an error: failures are logged.
 */
export async function afterVerified(
  s: Pick<Services, "deliverWebhook" | "log">,
  route: ResolvedRoute | undefined,
  row: UploadRow,
  upload: UploadRecord,
  by: Completer,
): Promise<void> {
  if (route?.onUploadComplete) {
    const base = { route: row.route, upload, metadata: row.metadata };
    try {
      await route.onUploadComplete(
        by.completedBy === "client"
          ? { ...base, completedBy: "client", principal: by.principal, request: by.request }
          : { ...base, completedBy: "sweeper", principal: recordedPrincipal(row) },
      );
    } catch (err) {
      s.log.error("onUploadComplete failed; the upload stays verified", err, {
        uploadId: row.id,
        route: row.route,
        completedBy: by.completedBy,
      });
    }
  }
  if (route?.webhook) s.deliverWebhook(route.webhook, upload, by.completedBy);
}
