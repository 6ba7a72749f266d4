/**
 * `upgate/node`: serves a fetch-style gateway from node:http, Express and Fastify. Small bodies (a
 * declared length up to maxBufferedBody) are read whole first; larger and chunked ones are streamed
 * to the gateway, and Responses are streamed back with backpressure (small known or JSON ones are
 * sent in one write). createGateway()'s gateway is served without building a Request or Response
 * unless something asks for one (incoming.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Answer } from "./http/respond.js";
import { serveIncomingOf } from "./incoming.js";
import { ClientRequestError, requestBody, requestHead, toFetchRequest, toIncoming } from "./node/request.js";
import { writeAnswer, writeError } from "./node/response.js";

/** What toNodeHandler serves: createGateway()'s result, or anything with the same fetch. */
export interface FetchGateway {
  fetch(request: Request, info?: { clientIp?: string }): Promise<Response>;
}

export interface NodeHandlerOptions {
  /**
   * The public origin (`https://uploads.example.com`) for the Request's URL. By default it is taken
   * from the Host header, with https when the socket is TLS.
   */
  origin?: string;
  /** Called with every error that became a 500 or cut a streamed response short. Default: console.error. */
  onError?: (error: unknown) => void;
  /**
   * Request bodies with a declared length up to this many bytes are read whole before the gateway
   * runs; larger and chunked ones are streamed. Also the most of a JSON response held back to send
   * in one write. Default 1 MiB (the gateway's JSON limit).
   */
  maxBufferedBody?: number;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

const DEFAULT_MAX_BUFFERED = 1024 * 1024;

/** A node:http handler (also an Express middleware and, via reply.raw, a Fastify handler). */
export function toNodeHandler(gateway: FetchGateway, options: NodeHandlerOptions = {}): NodeHandler {
  const origin = options.origin === undefined ? undefined : parseOrigin(options.origin);
  const onError = options.onError ?? ((error: unknown) => console.error("upgate: request failed", error));
  const limit = options.maxBufferedBody ?? DEFAULT_MAX_BUFFERED;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new TypeError(`upgate: maxBufferedBody must be a whole number of bytes, got ${limit}`);
  }
  const direct = serveIncomingOf(gateway);
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let answer: Answer;
    try {
      const head = requestHead(req, origin);
      const body = await requestBody(req, head, limit);
      const info = { clientIp: req.socket?.remoteAddress };
      answer =
        direct && body instanceof Uint8Array
          ? await direct(toIncoming(head, body, res), info)
          : await gateway.fetch(toFetchRequest(head, body, res), info);
    } catch (error) {
      if (error instanceof ClientRequestError) {
        writeError(res, error.code, error.message);
      } else {
        onError(error);
        writeError(res, "INTERNAL", "Internal error");
      }
      return;
    }
    await writeAnswer(answer, req, res, onError, limit);
  };
  return (req, res) => {
    serve(req, res).catch((error: unknown) => {
      // serve() handles its own errors; this is the last guard against an unhandled rejection.
      onError(error);
      res.destroy();
    });
  };
}

function parseOrigin(value: string): string {
  const url = new URL(value);
  if (url.pathname !== "/" || url.search || url.hash) {
    throw new TypeError(`upgate: origin must be scheme://host[:port] only, got ${JSON.stringify(value)}`);
  }
  return url.origin;
}
