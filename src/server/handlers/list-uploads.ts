import { UpgateError } from "../../core/errors.js";
import type { ListUploadsResponse, UploadStatus } from "../../core/protocol.js";
import type { Handler } from "../context.js";
import { json } from "../http/respond.js";
import { InvalidCursorError } from "../ledger/list-cursor.js";
import { requirePrincipal } from "../uploads/access.js";
import { toUploadRecord } from "../uploads/record.js";

const STATUSES: readonly UploadStatus[] = [
  "pending",
  "uploaded",
  "verified",
  "rejected",
  "expired",
  "aborted",
];
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

function invalid(message: string, field: string): UpgateError {
  return new UpgateError("VALIDATION_FAILED", message, { details: { field } });
}

function parseQuery(params: URLSearchParams) {
  const route = params.get("route") || undefined;
  if (route !== undefined && route.length > 63) throw invalid("route is not a route name", "route");
  const status = params.get("status") || undefined;
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
    throw invalid(`status must be one of ${STATUSES.join(", ")}`, "status");
  }
  const cursor = params.get("cursor") || undefined;
  if (cursor !== undefined && cursor.length > 512)
    throw invalid("cursor is not one this API returned", "cursor");
  const rawLimit = params.get("limit");
  const limit = rawLimit === null || rawLimit === "" ? DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalid(`limit must be a whole number from 1 to ${MAX_LIMIT}`, "limit");
  }
  return { route, status: status as UploadStatus | undefined, cursor, limit };
}

/** GET /v1/uploads: the caller's uploads, newest first, a page at a time (pass nextCursor back as cursor). */
export const listUploads: Handler = async (s, req) => {
  const principal = await requirePrincipal(s.authenticate, req);
  const query = parseQuery(req.url.searchParams);
  let page: Awaited<ReturnType<typeof s.ledger.list>>;
  try {
    page = await s.ledger.list({
      userId: principal.userId,
      limit: query.limit,
      ...(query.route !== undefined && { route: query.route }),
      ...(query.status !== undefined && { status: query.status }),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
  } catch (err) {
    if (err instanceof InvalidCursorError) throw invalid("cursor is not one this API returned", "cursor");
    throw err;
  }
  const response: ListUploadsResponse = { uploads: page.rows.map(toUploadRecord) };
  if (page.nextCursor !== undefined) response.nextCursor = page.nextCursor;
  return json(200, response);
};
