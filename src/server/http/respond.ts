/**
 * A handler's answer before it is a WHATWG Response. `gateway.fetch()` turns it into one; the
 * node:http adapter writes it to the socket directly (one write, no web streams).
 */
export interface Reply {
  status: number;
  headers: Headers;
  /** The whole body, or null for none. */
  body: string | null;
}

/** What handlers return: a Reply, or a Response when the body must be streamed. */
export type Answer = Reply | Response;

export function reply(status: number, body: string | null, headers: Record<string, string>): Reply {
  return { status, headers: new Headers(headers), body };
}

/** JSON answers. The API's answers are never cached: they carry signed URLs and per-user data. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return reply(status, JSON.stringify(body), {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    ...headers,
  });
}

export function toResponse(answer: Answer): Response {
  if (answer instanceof Response) return answer;
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
