import type {
  CompleteRequest,
  CompleteResponse,
  CreateUploadsRequest,
  CreateUploadsResponse,
  ListRoutesResponse,
  ListUploadsResponse,
  PartsRequest,
  PartsResponse,
  RouteInfo,
  UploadStatus,
} from "../../core/protocol.js";
import { abortedError, isAbortLike, UploadError } from "../errors.js";
import { crossOriginFailure } from "./cross-origin.js";
import { gatewayError } from "./errors.js";

export type HeadersOption =
  | Record<string, string>
  | (() => Promise<Record<string, string>> | Record<string, string>);

export interface GatewayClientOptions {
  /** The gateway's base URL, e.g. "https://api.example.com" (the API lives under /v1). */
  endpoint: string;
  /** Sent with every gateway request (auth); a function is called per request, so tokens may refresh. */
  headers?: HeadersOption;
  fetch?: typeof fetch;
}

export interface ListQuery {
  route?: string;
  status?: UploadStatus;
  cursor?: string;
}

/** An anonymous upload's secrets, as the create answer gave them. */
export interface UploadSecrets {
  capability: string;
  downloadToken?: string;
}

/**
 * The gateway's HTTP API, one request per call. Failures are UploadError: GATEWAY (or CHECKSUM)
 * with the server's code, message and details, or NETWORK when no answer came. No retries here.
 *
 * Anonymous uploads: the capability each create answer gives is remembered by upload id and sent
 * as the Upgate-Capability header on that upload's parts, complete and abort calls.
 */
export class GatewayClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private readonly secrets = new Map<string, UploadSecrets>();
  /** Whether any answer came from the gateway yet (then a failure is the network, not CORS). */
  private answered = false;

  constructor(private readonly options: GatewayClientOptions) {
    this.base = options.endpoint.replace(/\/+$/, "");
    this.doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /**
   * `idempotencyKey` (see newIdempotencyKey) is sent as the Idempotency-Key header: a retry with the
   * same key gets the first request's uploads back instead of reserving quota again.
   */
  async createUploads(
    body: CreateUploadsRequest,
    signal?: AbortSignal,
    options: { idempotencyKey?: string } = {},
  ): Promise<CreateUploadsResponse> {
    const headers: Record<string, string> =
      options.idempotencyKey === undefined ? {} : { "idempotency-key": options.idempotencyKey };
    const response = await this.json<CreateUploadsResponse>("POST", "/v1/uploads", body, signal, headers);
    for (const upload of response?.uploads ?? []) {
      if (typeof upload?.capability === "string") {
        this.remember(upload.id, {
          capability: upload.capability,
          ...(typeof upload.downloadToken === "string" && { downloadToken: upload.downloadToken }),
        });
      }
    }
    return response;
  }

  /** Records an anonymous upload's secrets (from a create answer kept elsewhere, say for resume). */
  remember(id: string, secrets: UploadSecrets): void {
    this.secrets.set(id, secrets);
  }

  /** The secrets of an anonymous upload this client created or was told about. */
  secretsOf(id: string): UploadSecrets | undefined {
    return this.secrets.get(id);
  }

  parts(id: string, body: PartsRequest, signal?: AbortSignal): Promise<PartsResponse> {
    return this.json(
      "POST",
      `/v1/uploads/${encodeURIComponent(id)}/parts`,
      body,
      signal,
      this.capability(id),
    );
  }

  complete(id: string, body: CompleteRequest, signal?: AbortSignal): Promise<CompleteResponse> {
    return this.json(
      "POST",
      `/v1/uploads/${encodeURIComponent(id)}/complete`,
      body,
      signal,
      this.capability(id),
    );
  }

  async abort(id: string, signal?: AbortSignal): Promise<void> {
    await this.json(
      "DELETE",
      `/v1/uploads/${encodeURIComponent(id)}`,
      undefined,
      signal,
      this.capability(id),
    );
  }

  list(query: ListQuery = {}, signal?: AbortSignal): Promise<ListUploadsResponse> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
    const qs = params.toString();
    return this.json("GET", `/v1/uploads${qs ? `?${qs}` : ""}`, undefined, signal);
  }

  /** GET /v1/routes: the routes this caller may upload to (public ones only without credentials). */
  async getRoutes(signal?: AbortSignal): Promise<RouteInfo[]> {
    const response = await this.json<ListRoutesResponse>("GET", "/v1/routes", undefined, signal);
    if (!Array.isArray(response?.routes)) {
      throw new UploadError("GATEWAY", "the upload server's route list is not { routes: [...] }");
    }
    return response.routes;
  }

  /**
   * The download URL of a verified upload (the gateway answers 302 to a short-lived link). For an
   * anonymous upload this client created, it carries the read-only download token: a link to share.
   */
  fileUrl(id: string): string {
    const token = this.secrets.get(id)?.downloadToken;
    const query = token === undefined ? "" : `?token=${encodeURIComponent(token)}`;
    return `${this.base}/v1/files/${encodeURIComponent(id)}${query}`;
  }

  private capability(id: string): Record<string, string> {
    const secrets = this.secrets.get(id);
    return secrets ? { "upgate-capability": secrets.capability } : {};
  }

  private async json<T>(
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
    own: Record<string, string> = {},
  ): Promise<T> {
    const extra =
      typeof this.options.headers === "function" ? await this.options.headers() : this.options.headers;
    const headers: Record<string, string> = { accept: "application/json", ...extra, ...own };
    if (body !== undefined) headers["content-type"] = "application/json";
    const url = `${this.base}${path}`;
    let response: Response;
    let text: string;
    try {
      response = await this.doFetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
      this.answered = true;
      text = await response.text();
    } catch (err) {
      if (signal?.aborted || isAbortLike(err)) throw abortedError();
      if (!this.answered) {
        const cors = crossOriginFailure(url, err);
        if (cors) throw cors;
      }
      throw new UploadError("NETWORK", "network connection to the upload server lost", {
        retryable: true,
        cause: err,
      });
    }
    if (!response.ok) throw gatewayError(response.status, text, response.headers.get("retry-after"));
    if (response.status === 204 || text === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new UploadError("GATEWAY", `the upload server sent invalid JSON (HTTP ${response.status})`, {
        status: response.status,
        cause: err,
      });
    }
  }
}
