import type { S3Request } from "../../core/s3/requests.js";
import { readErrorDocument } from "../../core/s3/xml-read.js";
import { StorageError } from "./types.js";

/** S3 SDKs' names for error statuses whose response has no body (HEAD). */
const BODYLESS_CODES: Record<number, string> = {
  301: "PermanentRedirect",
  304: "NotModified",
  400: "BadRequest",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  412: "PreconditionFailed",
  416: "InvalidRange",
  500: "InternalError",
  501: "NotImplemented",
  503: "SlowDown",
};

/** "HeadObject uploads/a.png" or "ListObjectsV2 uploads", for messages. */
export function describe(req: S3Request): string {
  return `${req.operation} ${req.bucket}${req.key === undefined ? "" : `/${req.key}`}`;
}

/** An S3 `<Error>` document as a StorageError, or undefined when the text is not one. */
export function parseErrorDocument(text: string, status: number, req: S3Request): StorageError | undefined {
  const doc = readErrorDocument(text);
  if (doc === undefined) return undefined;
  const code = doc.code || BODYLESS_CODES[status] || `Http${status}`;
  const message = doc.message || code;
  return new StorageError(code, status, `${message} (${describe(req)})`);
}

/** The StorageError for a failed response: S3's code and message when it sent them, else one from the status. */
export async function errorFromResponse(res: Response, req: S3Request): Promise<StorageError> {
  const text = req.method === "HEAD" ? "" : await res.text().catch(() => "");
  const parsed = parseErrorDocument(text, res.status, req);
  if (parsed) return parsed;
  const code = BODYLESS_CODES[res.status] ?? `Http${res.status}`;
  const snippet = text.trim().slice(0, 200);
  return new StorageError(
    code,
    res.status,
    `storage answered ${res.status}${snippet ? `: ${snippet}` : " with no error document"} (${describe(req)})`,
  );
}

/** A 2xx answer whose body is not the document expected. */
export function malformedResponse(req: S3Request, status: number, why: string): StorageError {
  return new StorageError("MalformedResponse", status, `unexpected response to ${describe(req)}: ${why}`);
}
