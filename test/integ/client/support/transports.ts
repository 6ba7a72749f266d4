import { anySignal } from "../../../../src/client/control.js";
import { UploadError } from "../../../../src/client/errors.js";
import { fetchTransport } from "../../../../src/client/transport/fetch.js";
import type {
  Transport,
  TransportRequest,
  TransportResponse,
} from "../../../../src/client/transport/types.js";

export interface SentRequest {
  method: string;
  /** The part number for UploadPart requests. */
  partNumber: number | undefined;
  status: number | "failed";
}

export interface RecordingTransport extends Transport {
  sent: SentRequest[];
  /** The most requests that were in flight at once. */
  maxInFlight: number;
  /** Part numbers of UploadPart requests that got a 2xx. */
  storedParts(): number[];
  /** Cut the next request for this part (or the single body: 0) once `fraction` of it is sent. */
  cutOnce(partNumber: number, fraction: number): void;
  /** Let the next request for this part reach storage, then lose its answer (a dropped connection). */
  loseResponseOnce(partNumber: number): void;
  /** Answer the next request for this part (0: the single body) with this response instead. */
  respondOnce(partNumber: number, status: number, body?: string, headers?: Record<string, string>): void;
  /** Called before each send; may throw or wait. */
  before?: (request: TransportRequest, partNumber: number | undefined) => Promise<void> | void;
}

const partOf = (url: string) => {
  const n = new URL(url).searchParams.get("partNumber");
  return n === null ? undefined : Number(n);
};

/** The real fetch transport, recording every request and able to drop a connection half-way. */
export function recordingTransport(inner: Transport = fetchTransport()): RecordingTransport {
  const cuts = new Map<number, number>();
  const canned = new Map<number, TransportResponse>();
  const lost = new Set<number>();
  const sent: SentRequest[] = [];
  let inFlight = 0;
  const t: RecordingTransport = {
    sent,
    maxInFlight: 0,
    storedParts: () =>
      sent
        .filter((s) => s.partNumber !== undefined && s.status !== "failed" && s.status < 300)
        .map((s) => s.partNumber!),
    cutOnce(partNumber, fraction) {
      cuts.set(partNumber, fraction);
    },
    loseResponseOnce(partNumber) {
      lost.add(partNumber);
    },
    respondOnce(partNumber, status, body = "", headers = {}) {
      canned.set(partNumber, { status, body, header: (name) => headers[name.toLowerCase()] ?? null });
    },
    async send(request: TransportRequest): Promise<TransportResponse> {
      t.maxInFlight = Math.max(t.maxInFlight, ++inFlight);
      try {
        return await sendOne(request);
      } finally {
        inFlight--;
      }
    },
  };
  async function sendOne(request: TransportRequest): Promise<TransportResponse> {
    const partNumber = partOf(request.url);
    await t.before?.(request, partNumber);
    const entry: SentRequest = { method: request.method, partNumber, status: "failed" };
    sent.push(entry);
    const response = canned.get(partNumber ?? 0);
    if (response) {
      canned.delete(partNumber ?? 0);
      entry.status = response.status;
      return response;
    }
    const fraction = cuts.get(partNumber ?? 0);
    if (fraction === undefined) {
      const response = await inner.send(request);
      entry.status = response.status;
      if (lost.delete(partNumber ?? 0)) {
        entry.status = "failed";
        throw new UploadError("NETWORK", "connection reset before the answer (injected)", {
          retryable: true,
        });
      }
      return response;
    }
    cuts.delete(partNumber ?? 0);
    const cut = new AbortController();
    const cutRequest: TransportRequest = {
      ...request,
      signal: anySignal([request.signal, cut.signal]),
      onProgress: (loaded) => {
        request.onProgress?.(loaded);
        if (loaded >= request.size * fraction) cut.abort();
      },
    };
    try {
      const response = await inner.send(cutRequest);
      entry.status = response.status;
      return response;
    } catch (err) {
      if (cut.signal.aborted && !request.signal.aborted) {
        throw new UploadError("NETWORK", "connection reset (injected)", { retryable: true });
      }
      throw err;
    }
  }
  return t;
}
