import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** How the receiver answers one delivery: a status, never answering, or dropping the connection. */
export type Answer = number | "hang" | "drop";

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers for the next deliveries, in order; after the last, it repeats the last. */
  answer(...answers: Answer[]): void;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1, port 0, that records every request with its raw body. */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let answers: Answer[] = [200];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks),
    });
    const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
    if (answer === "hang") return;
    if (answer === "drop") {
      req.socket.destroy();
      return;
    }
    if (answer >= 300 && answer < 400) res.setHeader("location", "/elsewhere");
    res.statusCode = answer;
    res.end(answer >= 400 ? "receiver error" : "ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/upgate`,
    received,
    answer(...next) {
      answers = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
