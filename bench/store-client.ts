/**
 * bench:store's client: plain node:http with keep-alive, bodies sent from memory (one buffer written
 * over and over for large objects), responses counted and dropped, so the client stays cheap next to
 * the server it measures.
 */
import { Agent, type IncomingMessage, request } from "node:http";

export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Reads a response to its end: the byte count on 2xx, a rejection with the body otherwise. */
function consume(res: IncomingMessage, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
    let bytes = 0;
    const errorBody: Buffer[] = [];
    res.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (!ok && bytes < 4096) errorBody.push(chunk);
    });
    res.on("error", reject);
    res.on("end", () => {
      if (ok) resolve(bytes);
      else reject(new Error(`${what}: HTTP ${res.statusCode} ${Buffer.concat(errorBody).toString("utf8")}`));
    });
  });
}

/** PUTs `total` bytes: `chunk` repeated (the last piece cut short), written as fast as the socket drains. */
export function putRepeated(r: HttpRequest, chunk: Buffer, total: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(r.url, {
      method: "PUT",
      agent,
      headers: { ...r.headers, "content-length": String(total) },
    });
    req.on("error", reject);
    req.on("response", (res) => consume(res, `PUT ${r.url}`).then(() => resolve(), reject));
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        const piece = Math.min(chunk.length, total - sent);
        sent += piece;
        if (!req.write(piece === chunk.length ? chunk : chunk.subarray(0, piece))) {
          req.once("drain", pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

/** GETs and counts the bytes received. */
export function getBytes(r: HttpRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(r.url, { method: "GET", agent, headers: r.headers });
    req.on("error", reject);
    req.on("response", (res) => consume(res, `GET ${r.url}`).then(resolve, reject));
    req.end();
  });
}

/** Runs task(0..count-1) with `concurrency` clients, each taking the next index when done. */
export async function runPool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const client = async () => {
    for (let i = next++; i < count; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, client));
}

export function closeClient(): void {
  agent.destroy();
}
