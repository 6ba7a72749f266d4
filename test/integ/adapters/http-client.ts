import { type IncomingMessage, request } from "node:http";

export interface SentRequest {
  method?: string;
  /** Values given as arrays go out as repeated header lines. */
  headers?: Record<string, string | string[]>;
  body?: string | Uint8Array;
}

/** Opens a request with node:http (which can repeat headers) and resolves once the response head is in. */
export function open(url: string, sent: SentRequest = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: sent.method ?? "GET", headers: sent.headers ?? {} }, resolve);
    req.on("error", reject);
    req.end(sent.body);
  });
}

export async function readAll(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The next chunk of a response body, or rejects after `ms`. */
export function nextChunk(res: IncomingMessage, ms: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no body chunk within ${ms} ms`)), ms);
    res.once("data", (chunk: Buffer) => {
      clearTimeout(timer);
      res.pause();
      resolve(chunk);
    });
    res.resume();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
