import { UpgateError } from "../../core/errors.js";

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const UTF8 = new TextDecoder("utf-8", { fatal: true });

function tooLarge(limit: number): UpgateError {
  return new UpgateError("PAYLOAD_TOO_LARGE", `The request body is larger than ${limit} bytes`, {
    details: { limit },
  });
}

async function readText(request: Request, limit: number): Promise<string> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    await request.body?.cancel().catch(() => {});
    throw tooLarge(limit);
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decodeUtf8(bytes);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new UpgateError("VALIDATION_FAILED", "The request body is not valid UTF-8");
  }
}

function parseJson(text: string, type: string | null): unknown {
  if (text.trim() === "") return undefined;
  if (type === null || !JSON_TYPE.test(type)) {
    throw new UpgateError(
      "VALIDATION_FAILED",
      "Send the request body as JSON, with Content-Type: application/json",
      {
        details: { contentType: type },
      },
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UpgateError(
      "VALIDATION_FAILED",
      `The request body is not valid JSON: ${(err as Error).message}`,
    );
  }
}

/**
 * The request's JSON body, read up to `limit` bytes (PAYLOAD_TOO_LARGE beyond). The content type
 * must be JSON: a cross-site form cannot send that without a CORS preflight. An empty body is
 * `undefined`, which endpoints with optional bodies accept.
 */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  return parseJson(await readText(request, limit), request.headers.get("content-type"));
}

/** readJsonBody for a handler's request: from the body the adapter already read, when it did. */
export async function readJson(
  req: { readonly body?: Uint8Array; readonly headers: Headers; readonly request: Request },
  limit: number,
): Promise<unknown> {
  if (req.body === undefined) return readJsonBody(req.request, limit);
  if (req.body.byteLength > limit) throw tooLarge(limit);
  return parseJson(decodeUtf8(req.body), req.headers.get("content-type"));
}
