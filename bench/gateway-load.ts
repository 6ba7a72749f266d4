/** Drives one server with autocannon: POST /v1/uploads, each request with the next user's token. */
import autocannon from "autocannon";
import { CREATE_BODY } from "./gateway-config.js";

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  tokens: readonly string[];
  connections: number;
  seconds: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: "POST",
        path: "/v1/uploads",
        headers: { "content-type": "application/json" },
        body: CREATE_BODY,
        setupRequest(request) {
          const token = options.tokens[next++ % options.tokens.length];
          return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** One request by hand: the server must answer 201 with a PUT URL, or the numbers mean nothing. */
export async function checkServes(url: string, token: string): Promise<void> {
  const res = await fetch(`${url}/v1/uploads`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: CREATE_BODY,
  });
  const text = await res.text();
  if (res.status !== 201 || !/"url":"http/.test(text)) {
    throw new Error(`${url} answered ${res.status}: ${text.slice(0, 300)}`);
  }
}
