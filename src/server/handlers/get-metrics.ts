import type { Handler } from "../context.js";

/** GET /metrics: the gateway's Prometheus metrics, in the text exposition format. */
export const metrics: Handler = async (s) =>
  new Response(await s.metrics.registry.metrics(), {
    status: 200,
    headers: { "content-type": s.metrics.registry.contentType, "cache-control": "no-store" },
  });
