import { anySignal } from "../control.js";
import { abortedError, networkError, stallError } from "./failures.js";
import { sendableHeaders } from "./headers.js";
import { StallTimer } from "./stall.js";
import {
  DEFAULT_STALL_TIMEOUT_MS,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from "./types.js";

export interface FetchTransportOptions {
  fetch?: typeof fetch;
  /**
   * Send a Blob body as a counted stream, for upload progress. Browsers only stream request
   * bodies over HTTP/2, so this is on by default only in Node (undici), where the
   * content-length header may be set by hand. Otherwise progress jumps from 0 to the size.
   */
  streamBodies?: boolean;
}

function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === "string";
}

/** Progress granularity of a streamed body: big chunks are handed to the HTTP client in these pieces. */
const PIECE = 64 * 1024;

/**
 * A ReadableStream over a Blob that reports the bytes the HTTP client has pulled. Chunks are cut
 * to 64 KiB so the count follows the socket's backpressure closely (Node's Blob.stream() may yield
 * a whole in-memory blob as one chunk).
 */
function countingStream(blob: Blob, onChunk: (sent: number) => void): ReadableStream<Uint8Array> {
  const reader = blob.stream().getReader();
  let sent = 0;
  let chunk = new Uint8Array(0);
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= chunk.byteLength) {
        const result = await reader.read();
        if (result.done) {
          controller.close();
          return;
        }
        chunk = result.value;
        offset = 0;
      }
      const piece = chunk.subarray(offset, offset + PIECE);
      offset += piece.byteLength;
      sent += piece.byteLength;
      controller.enqueue(piece);
      onChunk(sent);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** The transport for runtimes without XMLHttpRequest (Node, workers). */
export function fetchTransport(options: FetchTransportOptions = {}): Transport {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const stream = options.streamBodies ?? isNode();
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      if (request.signal.aborted) throw abortedError();
      const stallMs = request.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
      const stalled = new AbortController();
      const timer = new StallTimer(stallMs, () => stalled.abort());
      const headers = sendableHeaders(request.headers);
      let body: Blob | FormData | ReadableStream<Uint8Array> = request.body;
      const init: RequestInit & { duplex?: "half" } = { method: request.method, headers };
      if (stream && request.body instanceof Blob && request.body.size > 0) {
        headers["content-length"] = String(request.body.size);
        body = countingStream(request.body, (sent) => {
          timer.poke();
          request.onProgress?.(sent);
        });
        init.duplex = "half";
      }
      init.body = body;
      init.signal = anySignal([request.signal, stalled.signal]);
      try {
        const response = await doFetch(request.url, init);
        timer.poke();
        const text = await response.text();
        if (response.ok) request.onProgress?.(request.size);
        return { status: response.status, header: (name) => response.headers.get(name), body: text };
      } catch (err) {
        if (request.signal.aborted) throw abortedError();
        if (stalled.signal.aborted) throw stallError(stallMs);
        throw networkError(request.url, err);
      } finally {
        timer.stop();
      }
    },
  };
}
