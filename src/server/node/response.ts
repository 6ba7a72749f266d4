/** The ServerResponse side of toNodeHandler: writes a Reply at once, or a Response (streamed when large). */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ERROR_CODES, type ErrorBody, type ErrorCode } from "../../core/errors.js";
import type { Answer, Reply } from "../http/respond.js";

/** Connection-level headers that describe the node:http framing, not the message. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection"]);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export async function writeAnswer(
  answer: Answer,
  req: IncomingMessage,
  res: ServerResponse,
  onError: (error: unknown) => void,
  holdLimit: number,
): Promise<void> {
  if (answer instanceof Response) await writeResponse(answer, req, res, onError, holdLimit);
  else writeReply(answer, req, res, onError);
}

/** Status, headers (each Set-Cookie apart) and, unless the request was HEAD, the whole body in one write. */
function writeReply(
  reply: Reply,
  req: IncomingMessage,
  res: ServerResponse,
  onError: (error: unknown) => void,
) {
  if (res.destroyed) return;
  if (!setHead(res, reply.status, "", reply.headers, onError)) return;
  if (reply.body === null || req.method === "HEAD") res.end();
  else res.end(reply.body);
}

/** Copies status and headers; false (having answered 500) when node:http refuses one. */
function setHead(
  res: ServerResponse,
  status: number,
  statusText: string,
  headers: Headers,
  onError: (error: unknown) => void,
): boolean {
  try {
    res.statusCode = status;
    if (statusText) res.statusMessage = statusText;
    for (const [name, value] of headers) {
      if (name !== "set-cookie" && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
    }
    const cookies = headers.getSetCookie();
    if (cookies.length > 0) res.setHeader("set-cookie", cookies);
    return true;
  } catch (error) {
    // A header node:http refuses: nothing was sent yet, so the client still gets a clean 500.
    onError(error);
    writeError(res, "INTERNAL", "Internal error");
    return false;
  }
}

/**
 * How much of a Response's body may be held back and sent in one write: all of it when its length is
 * known and at most `limit`, or up to `limit` for JSON (useless until complete anyway). Anything
 * else streams from the first chunk.
 */
function holdable(headers: Headers, limit: number): number {
  const length = headers.get("content-length");
  if (length !== null && Number(length) <= limit) return Number(length);
  return JSON_TYPE.test(headers.get("content-type") ?? "") ? limit : 0;
}

async function writeResponse(
  response: Response,
  req: IncomingMessage,
  res: ServerResponse,
  onError: (error: unknown) => void,
  holdLimit: number,
): Promise<void> {
  if (res.destroyed) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  if (!setHead(res, response.status, response.statusText, response.headers, onError)) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  if (!response.body || req.method === "HEAD") {
    await response.body?.cancel().catch(() => {});
    res.end();
    return;
  }
  await pipeBody(response.body, res, onError, holdable(response.headers, holdLimit));
}

/**
 * Sends the body: chunks up to `hold` bytes are kept and sent with the head in one write when the
 * body ends within them; past that (or with hold 0) it streams chunk by chunk, waiting for 'drain'
 * whenever node:http's buffer is full.
 */
async function pipeBody(
  body: ReadableStream<Uint8Array>,
  res: ServerResponse,
  onError: (error: unknown) => void,
  hold: number,
): Promise<void> {
  const reader = body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  res.once("close", stop);
  let held: Uint8Array[] | undefined = hold > 0 ? [] : undefined;
  let heldBytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (held) {
        heldBytes += value.byteLength;
        held.push(value);
        if (heldBytes <= hold) continue;
        // Longer than it could be held: stream from here.
        for (const chunk of held.slice(0, -1)) res.write(chunk);
        held = undefined;
      }
      if (!res.write(value)) await drainedOrClosed(res);
    }
    if (held) res.end(held.length === 1 ? held[0] : Buffer.concat(held));
    else res.end();
  } catch (error) {
    if (res.destroyed) return;
    onError(error);
    // Nothing sent yet (the body was being held): a clean 500. Otherwise the status line is out:
    // cut the response so the client cannot take it as complete.
    if (!res.headersSent) writeError(res, "INTERNAL", "Internal error");
    else res.destroy(error instanceof Error ? error : new Error(String(error)));
  } finally {
    res.off("close", stop);
  }
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}

export function writeError(res: ServerResponse, code: ErrorCode, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  const body: ErrorBody = { error: { code, message } };
  const text = JSON.stringify(body);
  res.statusCode = ERROR_CODES[code].status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(text));
  res.end(text);
}
