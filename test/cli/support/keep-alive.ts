/**
 * HTTP clients that keep their connections open between requests, as browsers, the AWS SDK and
 * process managers' health checks do, and that can tell which of those connections are still open:
 * what a graceful shutdown must not wait for.
 */
import { Agent, type AgentOptions, request } from "node:http";
import type { Duplex } from "node:stream";
import { S3Client } from "@aws-sdk/client-s3";

/** An http.Agent with keep-alive that remembers every connection it opened, by the origin it went to. */
export class KeepAliveAgent extends Agent {
  readonly #open = new Map<Duplex, string>();

  constructor(options: AgentOptions = {}) {
    super({ keepAlive: true, ...options });
  }

  override createConnection(
    ...args: Parameters<Agent["createConnection"]>
  ): ReturnType<Agent["createConnection"]> {
    const socket = super.createConnection(...args);
    const { host, port } = args[0] as { host?: string; port?: number | string };
    if (socket) {
      this.#open.set(socket, `http://${host}:${port}`);
      socket.once("close", () => this.#open.delete(socket));
    }
    return socket;
  }

  #to(origin?: string): Duplex[] {
    return [...this.#open].filter(([, o]) => origin === undefined || o === origin).map(([s]) => s);
  }

  /** Connections still open (idle in the pool or busy), to `origin` (http://host:port) or anywhere. */
  open(origin?: string): number {
    return this.#to(origin).length;
  }

  /** Resolves once every connection open now (to `origin`, or anywhere) is closed. */
  async allClosed(origin?: string): Promise<void> {
    await Promise.all(this.#to(origin).map((s) => new Promise((done) => s.once("close", done))));
  }
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * One request through `agent`. `body` may be a function that writes it piece by piece; with an
 * `expect: 100-continue` header it is called once the server has answered 100, which node:http
 * does right as it hands the request to its handler: the request is then surely in flight.
 */
export function send(
  agent: Agent,
  method: string,
  url: string,
  options: {
    headers?: Record<string, string>;
    body?: Uint8Array | string | ((write: (chunk: Uint8Array | string) => void) => Promise<void>);
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    const body = options.body;
    if (typeof body === "function") {
      const expectsContinue = Object.entries(options.headers ?? {}).some(
        ([k, v]) => k.toLowerCase() === "expect" && v.toLowerCase() === "100-continue",
      );
      const write = () =>
        body((chunk) => req.write(chunk)).then(
          () => req.end(),
          (err: Error) => req.destroy(err),
        );
      if (expectsContinue) {
        req.once("continue", write);
        req.flushHeaders();
      } else void write();
    } else req.end(body);
  });
}

export async function sendJson(
  agent: Agent,
  method: string,
  url: string,
  json: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const answer = await send(agent, method, url, {
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(json),
  });
  return { status: answer.status, json: answer.body.length ? JSON.parse(answer.body.toString()) : {} };
}

/** An S3 client of the AWS SDK whose connections go through `agent`. */
export function sdkClient(
  agent: KeepAliveAgent,
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  region = "us-east-1",
): S3Client {
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials,
    requestHandler: { httpAgent: agent },
    // One try: a refused request must show, not be retried into the next phase of a test.
    maxAttempts: 1,
  });
}
