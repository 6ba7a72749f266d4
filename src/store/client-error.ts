import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { renderXmlDocument } from "../core/s3/xml.js";
import type { S3ErrorCode } from "../core/s3-error-codes.js";
import { S3Error } from "./errors.js";
import { sendError } from "./respond.js";

/** The response being produced on each connection, so a connection-level error can still answer in S3's form. */
const inFlight = new WeakMap<Duplex, { res: ServerResponse; method: string; requestId: string }>();

export function trackResponse(socket: Duplex, res: ServerResponse, method: string, requestId: string): void {
  inFlight.set(socket, { res, method, requestId });
  res.once("close", () => {
    if (inFlight.get(socket)?.res === res) inFlight.delete(socket);
  });
}

/** Protocol errors S3 answers with its own error document rather than a bare status line. */
const S3_ANSWERS: Record<string, S3ErrorCode> = {
  HPE_HEADER_OVERFLOW: "RequestHeaderSectionTooLarge",
  ERR_HTTP_REQUEST_TIMEOUT: "RequestTimeout",
};

/** A complete S3 error response written straight to a socket that has no request object (yet). */
function rawS3Error(code: S3ErrorCode): string {
  const err = new S3Error(code);
  const body = renderXmlDocument("Error", { Code: err.code, Message: err.message }, { xmlns: false });
  return `HTTP/1.1 ${err.status} Bad Request\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * Answers the request in progress on `socket` with `err` (if nothing was sent yet) and closes the
 * connection once the answer is out. The handler still reading the body sees it end and discards
 * what it staged.
 */
function answerAndClose(socket: Duplex, err: S3Error): boolean {
  const pending = inFlight.get(socket);
  if (!pending || pending.res.headersSent) return false;
  pending.res.shouldKeepAlive = false;
  sendError(pending.res, pending.method, pending.requestId, err);
  // Answering took the request off node's list of requests to abort when the connection closes:
  // end its body here, or the handler reading it would wait forever with its staged file open.
  pending.res.once("close", () => pending.res.req.destroy());
  return true;
}

/**
 * node:http's 'clientError': a client that ends its side in the middle of a body gets S3's 400
 * IncompleteBody (the handler, still waiting for bytes, then sees the connection close and discards
 * what it staged). An oversized header section and a header section that takes too long get S3's
 * RequestHeaderSectionTooLarge and RequestTimeout; other protocol errors get node's plain answers.
 */
export function onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === "HPE_INVALID_EOF_STATE" && answerAndClose(socket, new S3Error("IncompleteBody"))) return;
  if (socket.writable && !inFlight.get(socket)) {
    const s3 = S3_ANSWERS[err.code ?? ""];
    socket.write(s3 ? rawS3Error(s3) : "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  }
  socket.destroy(err);
}

/**
 * A client too slow to be served (idle past the timeout, or a body slower than the minimum rate):
 * S3's 400 RequestTimeout if nothing was answered yet, then the connection is closed either way.
 */
export function timeOutSocket(socket: Duplex): void {
  if (!answerAndClose(socket, new S3Error("RequestTimeout"))) {
    socket.destroy();
    return;
  }
  // The answer is queued; a client that does not read it must not keep the socket alive.
  setTimeout(() => socket.destroy(), 1000).unref();
}
