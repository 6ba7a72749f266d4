import type { S3Request } from "../../core/s3/requests.js";
import { requestUrl } from "../../core/s3/requests-url.js";
import { parseXml, type XmlElement } from "../../core/s3/xml-read.js";
import { EMPTY_SHA256 } from "../../core/sigv4/canonical.js";
import { createHash, sha256, toBase64 } from "../../core/sigv4/crypto.js";
import { signRequest } from "../../core/sigv4/sign-request.js";
import { refusedCredentials } from "./credentials/refused.js";
import { createCredentialSource } from "./credentials/source.js";
import type { CredentialSource, CurrentCredentials } from "./credentials/types.js";
import { describe, errorFromResponse, malformedResponse, parseErrorDocument } from "./errors.js";
import type { StorageConfig } from "./types.js";

export interface TransportOptions {
  /** Defaults to the global fetch. Tests wrap it to simulate other backends. */
  fetch?: typeof fetch;
  /** Per request; for streamed bodies, the longest wait for the next chunk. Default 30 s. */
  timeoutMs?: number;
  /** Where the credentials come from; by default a source made from config.credentials. */
  credentials?: CredentialSource;
}

/** A buffered answer. */
export interface S3Response {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** An answer whose body is still streaming. */
export interface S3StreamResponse {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array>;
}

export interface SendOptions {
  /** Statuses besides 2xx that are answers rather than errors (e.g. 416 for a range past the end). */
  accept?: readonly number[];
}

export interface S3Transport {
  readonly config: StorageConfig;
  readonly credentials: CredentialSource;
  /** The URL a request goes to (virtual-host or path style per config.forcePathStyle). */
  url(req: S3Request): string;
  /**
   * Signs (Authorization header) and sends one request, and reads the whole answer within the
   * timeout. Any status but 2xx and `accept` throws a StorageError with S3's code and message.
   */
  send(req: S3Request, options?: SendOptions): Promise<S3Response>;
  /** As send, but the body is returned unread; the timeout then bounds each wait for more data. */
  sendStream(req: S3Request, options?: SendOptions): Promise<S3StreamResponse>;
  /** send, then parse the XML answer, whose root must be `root` (S3 may answer 200 with an `<Error>`). */
  sendXml(req: S3Request, root: string, arrays?: readonly string[]): Promise<XmlElement>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const DEFAULT_TIMEOUT_MS = 30_000;

/** Content-MD5 (what every S3 implementation accepts), or a SHA-256 checksum where MD5 is unavailable. */
async function bodyChecksum(body: Uint8Array): Promise<Record<string, string>> {
  try {
    const md5 = createHash("md5");
    md5.update(body);
    return { "content-md5": toBase64(await md5.digest()) };
  } catch {
    return {
      "x-amz-checksum-sha256": toBase64(await sha256(body)),
      "x-amz-sdk-checksum-algorithm": "SHA256",
    };
  }
}

function timeoutError(req: S3Request, ms: number): Error {
  return new Error(`storage did not answer ${describe(req)} within ${ms} ms`);
}

/** The body, with `controller` aborted when a wait for the next chunk outlasts `ms`. */
function idleTimeout(
  body: ReadableStream<Uint8Array>,
  ms: number,
  controller: AbortController,
  onTimeout: () => Error,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(out) {
      timer = setTimeout(() => controller.abort(onTimeout()), ms);
      try {
        const { done, value } = await reader.read();
        if (done) out.close();
        else out.enqueue(value);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
}

export function createS3Transport(config: StorageConfig, options: TransportOptions = {}): S3Transport {
  const doFetch = options.fetch ?? globalThis.fetch;
  const source = options.credentials ?? createCredentialSource(config.credentials);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const target = { endpoint: config.endpoint, forcePathStyle: config.forcePathStyle ?? false };
  const url = (req: S3Request) => requestUrl(target, req);

  /** Signs with `credentials` and fetches; the timer is left running for the caller to clear once the body is read. */
  async function attempt(
    req: S3Request,
    opts: SendOptions,
    href: string,
    body: Uint8Array<ArrayBuffer> | undefined,
    headers: Record<string, string>,
    credentials: CurrentCredentials,
  ) {
    const signed = await signRequest({
      method: req.method,
      url: href,
      headers,
      // A bodyless request signs the hash of the empty payload: accepted by every S3 implementation,
      // where UNSIGNED-PAYLOAD with header auth is not.
      ...(body ? { body } : { payloadHash: EMPTY_SHA256 }),
      region: config.region,
      credentials,
    });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(timeoutError(req, timeoutMs)), timeoutMs);
    let res: Response;
    try {
      res = await doFetch(href, {
        method: req.method,
        headers: signed.headers,
        body,
        // A redirect would replay the signed request elsewhere; S3 redirects mean a wrong region or endpoint.
        redirect: "manual",
        signal: controller.signal,
      });
    } catch (err) {
      clearTimeout(timer);
      if (controller.signal.aborted) throw controller.signal.reason;
      throw new Error(`storage request ${describe(req)} failed: ${(err as Error).message}`, { cause: err });
    }
    if (!res.ok && !opts.accept?.includes(res.status)) {
      try {
        throw await errorFromResponse(res, req);
      } finally {
        clearTimeout(timer);
      }
    }
    return { res, controller, timer };
  }

  /**
   * One request, signed with the current credentials. When storage refuses those (they expired or
   * were rotated away: ExpiredToken, InvalidToken, InvalidAccessKeyId), new ones are fetched once
   * and the request is sent once more.
   */
  async function exchange(req: S3Request, opts: SendOptions) {
    const href = url(req);
    const body = req.body === undefined ? undefined : encoder.encode(req.body);
    const headers = { ...req.headers, ...(body && req.checksumRequired ? await bodyChecksum(body) : {}) };
    const used = await source.get();
    try {
      return await attempt(req, opts, href, body, headers, used);
    } catch (err) {
      if (!source.refreshable || !refusedCredentials(err, req.method)) throw err;
      const renewed = await source.renew(used).catch(() => undefined);
      if (!renewed || renewed.generation === used.generation) throw err;
      return attempt(req, opts, href, body, headers, renewed);
    }
  }

  async function send(req: S3Request, opts: SendOptions = {}): Promise<S3Response> {
    const { res, timer } = await exchange(req, opts);
    try {
      // The whole exchange, body included, must finish in time: read it under the same timer.
      const body = new Uint8Array(await res.arrayBuffer());
      return { status: res.status, headers: res.headers, body };
    } finally {
      clearTimeout(timer);
    }
  }

  async function sendStream(req: S3Request, opts: SendOptions = {}): Promise<S3StreamResponse> {
    const { res, controller, timer } = await exchange(req, opts);
    clearTimeout(timer);
    const raw = res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    const body = idleTimeout(raw, timeoutMs, controller, () => timeoutError(req, timeoutMs));
    return { status: res.status, headers: res.headers, body };
  }

  async function sendXml(req: S3Request, root: string, arrays: readonly string[] = []) {
    const res = await send(req);
    const text = decoder.decode(res.body);
    const error = parseErrorDocument(text, res.status, req);
    if (error) throw error;
    let parsed: ReturnType<typeof parseXml>;
    try {
      parsed = parseXml(text, { arrays, lenient: true });
    } catch (err) {
      throw malformedResponse(req, res.status, (err as Error).message);
    }
    if (parsed.root !== root) {
      throw malformedResponse(req, res.status, `expected <${root}>, got <${parsed.root}>`);
    }
    return parsed.element;
  }

  return { config, credentials: source, url, send, sendStream, sendXml };
}
