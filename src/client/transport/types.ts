/** One upload request to storage: a presigned PUT (body = Blob) or a form POST (body = FormData). */
export interface TransportRequest {
  method: "PUT" | "POST";
  url: string;
  /** Exactly the headers the gateway returned (the transport drops those browsers set themselves). */
  headers: Record<string, string>;
  body: Blob | FormData;
  /** Bytes of file data in the body: progress is reported in these units, 0..size. */
  size: number;
  signal: AbortSignal;
  onProgress?: (loaded: number) => void;
  /** Fail with TIMEOUT when no byte moves for this long (default 60 s). */
  stallTimeoutMs?: number;
}

export interface TransportResponse {
  status: number;
  /** A response header, or null when absent (or hidden by CORS). */
  header(name: string): string | null;
  body: string;
}

/**
 * Sends one request. Resolves with any HTTP response (errors included); rejects with an
 * UploadError: NETWORK (no response), TIMEOUT (stalled) or ABORTED (the signal fired).
 */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
}

export const DEFAULT_STALL_TIMEOUT_MS = 60_000;
