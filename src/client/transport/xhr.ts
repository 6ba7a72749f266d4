import { abortedError, networkError, stallError } from "./failures.js";
import { sendableHeaders } from "./headers.js";
import { StallTimer } from "./stall.js";
import {
  DEFAULT_STALL_TIMEOUT_MS,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from "./types.js";
import { type XhrConstructor, xhrConstructor } from "./xhr-types.js";

/**
 * The browser transport: XMLHttpRequest, because fetch cannot report upload progress. The body
 * is the File.slice Blob itself, so the browser streams it from disk.
 */
export function xhrTransport(Xhr: XhrConstructor | undefined = xhrConstructor()): Transport {
  if (!Xhr) throw new Error("upgate: this runtime has no XMLHttpRequest; use fetchTransport()");
  return {
    send(request: TransportRequest): Promise<TransportResponse> {
      return new Promise((resolve, reject) => {
        if (request.signal.aborted) {
          reject(abortedError());
          return;
        }
        const stallMs = request.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
        const xhr = new Xhr();
        let stalled = false;
        const timer = new StallTimer(stallMs, () => {
          stalled = true;
          xhr.abort();
        });
        const onAbort = () => xhr.abort();
        const done = () => {
          timer.stop();
          request.signal.removeEventListener("abort", onAbort);
        };
        xhr.open(request.method, request.url);
        xhr.responseType = "text";
        const headers = sendableHeaders(request.headers);
        for (const name in headers) xhr.setRequestHeader(name, headers[name]!);
        xhr.upload.onprogress = (event) => {
          timer.poke();
          if (!request.onProgress || !event.lengthComputable || event.total === 0) return;
          // A form body is larger than its file: scale to file bytes.
          const loaded = Math.floor((event.loaded / event.total) * request.size);
          request.onProgress(Math.min(request.size, loaded));
        };
        xhr.onprogress = () => timer.poke();
        xhr.onload = () => {
          done();
          resolve({
            status: xhr.status,
            header: (name) => xhr.getResponseHeader(name),
            body: typeof xhr.response === "string" ? xhr.response : "",
          });
        };
        xhr.onerror = () => {
          done();
          reject(networkError(request.url));
        };
        xhr.onabort = () => {
          done();
          reject(stalled ? stallError(stallMs) : abortedError());
        };
        request.signal.addEventListener("abort", onAbort, { once: true });
        xhr.send(request.body);
      });
    },
  };
}
