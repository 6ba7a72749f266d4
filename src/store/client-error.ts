import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
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

const RAW_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: "431 Request Header Fields Too Large",
  ERR_HTTP_REQUEST_TIMEOUT: "408 Request Timeout",
};

/**
 * node:http's 'clientError': a client that ends its side in the middle of a body gets S3's 400
 * IncompleteBody (the handler, still waiting for bytes, then sees the connection close and discards
 * what it staged). Other protocol errors get node's plain answers.
 */
export function onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const pending = inFlight.get(socket);
  if (pending && !pending.res.headersSent && err.code === "HPE_INVALID_EOF_STATE") {
    pending.res.shouldKeepAlive = false;
    sendError(pending.res, pending.method, pending.requestId, new S3Error("IncompleteBody"));
    // Answering took the request off node's list of requests to abort when the connection closes:
    // end its body here, or the handler reading it would wait forever with its staged file open.
    pending.res.once("close", () => pending.res.req.destroy());
    return;
  }
  if (socket.writable && !pending) {
    socket.write(`HTTP/1.1 ${RAW_STATUS[err.code ?? ""] ?? "400 Bad Request"}\r\nConnection: close\r\n\r\n`);
  }
  socket.destroy(err);
}
