import { describe, expect, it } from "vitest";
import type { TransportRequest } from "./types.js";
import { xhrTransport } from "./xhr.js";
import type { Xhr, XhrProgress } from "./xhr-types.js";

/** A scripted XMLHttpRequest: records what the transport does; the test plays the network. */
class FakeXhr implements Xhr {
  static last: FakeXhr;
  opened: [string, string] | undefined;
  headers: Record<string, string> = {};
  body: unknown;
  aborted = false;
  responseType = "";
  response: unknown = "";
  status = 0;
  responseHeaders: Record<string, string> = {};
  upload: { onprogress: ((event: XhrProgress) => void) | null } = { onprogress: null };
  onprogress: ((event: XhrProgress) => void) | null = null;
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.opened = [method, url];
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }
  finish(status: number, response = "", headers: Record<string, string> = {}) {
    this.status = status;
    this.response = response;
    this.responseHeaders = headers;
    this.onload?.();
  }
}

const request = (over: Partial<TransportRequest> = {}): TransportRequest => ({
  method: "PUT",
  url: "http://store/bucket/key?X-Amz-Signature=abc",
  headers: {
    "content-type": "image/png",
    "Content-Length": "4",
    host: "store",
    "x-amz-checksum-sha256": "c2hh",
  },
  body: new Blob(["abcd"]),
  size: 4,
  signal: new AbortController().signal,
  ...over,
});

describe("xhrTransport", () => {
  it("sends exactly the gateway's headers except content-length and host, and reads ETag", async () => {
    const t = xhrTransport(FakeXhr);
    const progress: number[] = [];
    const sent = t.send(request({ onProgress: (n) => progress.push(n) }));
    const xhr = FakeXhr.last;
    expect(xhr.opened).toEqual(["PUT", "http://store/bucket/key?X-Amz-Signature=abc"]);
    expect(xhr.headers).toEqual({ "content-type": "image/png", "x-amz-checksum-sha256": "c2hh" });
    expect(xhr.body).toBeInstanceOf(Blob);
    xhr.progress(2, 4);
    xhr.progress(4, 4);
    xhr.finish(200, "", { etag: '"abc"' });
    const res = await sent;
    expect(res.status).toBe(200);
    expect(res.header("ETag")).toBe('"abc"');
    expect(progress).toEqual([2, 4]);
  });

  it("scales form-body progress to the file's bytes", async () => {
    const progress: number[] = [];
    const form = new FormData();
    const sent = xhrTransport(FakeXhr).send(
      request({ method: "POST", body: form, size: 1000, onProgress: (n) => progress.push(n) }),
    );
    FakeXhr.last.progress(600, 1200);
    FakeXhr.last.progress(1200, 1200);
    FakeXhr.last.finish(204);
    await sent;
    expect(progress).toEqual([500, 1000]);
  });

  it("fails NETWORK on a network error (also what a CORS refusal looks like)", async () => {
    const sent = xhrTransport(FakeXhr).send(request());
    FakeXhr.last.onerror?.();
    await expect(sent).rejects.toMatchObject({ code: "NETWORK", retryable: true });
  });

  it("aborts the request when the signal fires", async () => {
    const controller = new AbortController();
    const sent = xhrTransport(FakeXhr).send(request({ signal: controller.signal }));
    controller.abort();
    await expect(sent).rejects.toMatchObject({ code: "ABORTED" });
    expect(FakeXhr.last.aborted).toBe(true);
  });

  it("fails TIMEOUT when no byte moves for the stall timeout, and progress keeps it alive", async () => {
    const sent = xhrTransport(FakeXhr).send(request({ stallTimeoutMs: 60 }));
    const xhr = FakeXhr.last;
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 30));
      xhr.progress(i, 4);
    }
    expect(xhr.aborted).toBe(false);
    await expect(sent).rejects.toMatchObject({ code: "TIMEOUT", retryable: true });
    expect(xhr.aborted).toBe(true);
  });
});
