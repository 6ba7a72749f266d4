import type { UploadRecord } from "../../core/protocol.js";
import type { Principal } from "../auth/principal.js";
import type { ResolvedRoute } from "../config/resolved.js";
import type { UploadRow } from "../ledger/types.js";
import type { Services } from "../runtime/services.js";

/**
 * The route's onUploadComplete hook (awaited) and webhook (in the background, with its own retries).
 * Neither can turn a verified upload into an error: failures are logged.
 */
export async function afterVerified(
  s: Services,
  route: ResolvedRoute | undefined,
  row: UploadRow,
  upload: UploadRecord,
  principal: Principal,
  request: Request,
): Promise<void> {
  if (route?.onUploadComplete) {
    try {
      await route.onUploadComplete({ principal, route: row.route, upload, metadata: row.metadata, request });
    } catch (err) {
      s.log.error("onUploadComplete failed; the upload stays verified", err, {
        uploadId: row.id,
        route: row.route,
      });
    }
  }
  if (route?.webhook) s.deliverWebhook(route.webhook, upload);
}
