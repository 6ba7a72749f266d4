import { createHash } from "node:crypto";

/** What the fake gateway saw of one request, as /echo returns it. */
export interface Echo {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: string;
  clientIp: string | null;
}

/** Bytes of the deterministic pattern /large serves: byte i is i mod 251. */
export function patternBytes(offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (offset + i) % 251;
  return out;
}

export const patternSha256 = (size: number): string =>
  createHash("sha256").update(patternBytes(0, size)).digest("hex");

const CHUNK = 64 * 1024;

/**
 * A stand-in for createGateway() with fetch endpoints that exercise an adapter: echo, a large
 * pull-based body (counting what it has produced), a body held back until released, several
 * cookies, a throw, a stream that fails midway, and an upload counter.
 */
export function createFakeGateway() {
  let produced = 0;
  let largeCancelled = false;
  let releaseHeld: () => void = () => {};

  const routes: Record<string, (request: Request, clientIp: string | undefined) => Promise<Response>> = {
    async "/v1/echo"(request, clientIp) {
      const echo: Echo = {
        method: request.method,
        url: request.url,
        headers: [...request.headers],
        body: await request.text(),
        clientIp: clientIp ?? null,
      };
      return Response.json(echo, { headers: { "x-echo": "yes" } });
    },

    async "/v1/large"(request) {
      const size = Number(new URL(request.url).searchParams.get("size"));
      produced = 0;
      largeCancelled = false;
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (produced >= size) {
              controller.close();
              return;
            }
            const length = Math.min(CHUNK, size - produced);
            controller.enqueue(patternBytes(produced, length));
            produced += length;
          },
          cancel() {
            largeCancelled = true;
          },
        },
        { highWaterMark: 0 },
      );
      return new Response(body, { headers: { "content-type": "application/octet-stream" } });
    },

    async "/v1/held"() {
      const released = new Promise<void>((resolve) => {
        releaseHeld = resolve;
      });
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode("first;"));
          await released;
          controller.enqueue(encoder.encode("last"));
          controller.close();
        },
      });
      return new Response(body, { headers: { "content-type": "text/plain" } });
    },

    async "/v1/cookies"() {
      const headers = new Headers({ "content-type": "text/plain" });
      headers.append("set-cookie", "a=1; Path=/; HttpOnly");
      headers.append("set-cookie", "b=2; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT");
      headers.append("x-multi", "one");
      headers.append("x-multi", "two");
      return new Response("cookies", { status: 201, headers });
    },

    async "/v1/throw"() {
      throw new Error("the fake gateway failed on purpose: secret-detail");
    },

    async "/v1/broken-stream"() {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("partial"));
          setTimeout(() => controller.error(new Error("storage went away")), 20);
        },
      });
      return new Response(body);
    },

    async "/v1/count"(request) {
      const hash = createHash("sha256");
      let bytes = 0;
      for await (const chunk of request.body ?? []) {
        hash.update(chunk);
        bytes += chunk.byteLength;
      }
      return Response.json({ bytes, sha256: hash.digest("hex") });
    },
  };

  return {
    fetch(request: Request, info?: { clientIp?: string }): Promise<Response> {
      const route = routes[new URL(request.url).pathname];
      if (!route) return Promise.resolve(Response.json({ error: { code: "NOT_FOUND" } }, { status: 404 }));
      return route(request, info?.clientIp);
    },
    /** Bytes /large has generated so far. */
    produced: () => produced,
    /** Whether the adapter cancelled /large's body. */
    largeCancelled: () => largeCancelled,
    /** Lets /held send its last chunk. */
    release: () => releaseHeld(),
  };
}

export type FakeGateway = ReturnType<typeof createFakeGateway>;
