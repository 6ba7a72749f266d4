import { Counter, Histogram, Registry } from "prom-client";

/** The gateway's Prometheus metrics, in a registry of its own (several gateways can share a process). */
export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<"route" | "method" | "status">;
  signatures: Counter<"strategy">;
  verifications: Counter<"outcome">;
  bytesReserved: Counter;
  credentialRefreshes: Counter<"outcome" | "reason">;
  duration: Histogram<"route" | "method">;
}

export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: "upgate_requests_total",
      help: "HTTP requests, by endpoint pattern, method and status.",
      labelNames: ["route", "method", "status"],
      registers,
    }),
    signatures: new Counter({
      name: "upgate_signatures_total",
      help: "Upload URLs and forms signed, by strategy (one per multipart part URL).",
      labelNames: ["strategy"],
      registers,
    }),
    verifications: new Counter({
      name: "upgate_verifications_total",
      help: "Completed uploads checked against storage, by outcome (verified, or the rejection code).",
      labelNames: ["outcome"],
      registers,
    }),
    credentialRefreshes: new Counter({
      name: "upgate_storage_credential_refreshes_total",
      help: "Fetches of storage credentials from their provider, by outcome (ok, failed) and reason (first, expiring, refused: storage refused the ones held).",
      labelNames: ["outcome", "reason"],
      registers,
    }),
    bytesReserved: new Counter({
      name: "upgate_bytes_reserved_total",
      help: "Bytes reserved against quotas when uploads were signed.",
      registers,
    }),
    duration: new Histogram({
      name: "upgate_request_duration_seconds",
      help: "Time to answer a request, by endpoint pattern and method.",
      labelNames: ["route", "method"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };
}
