import { connect } from "node:net";
import type { Refusal } from "./case.js";

/** A piece of a raw request: bytes to write, or a pause before the next piece. */
export type RawPiece = string | Buffer | { pauseMs: number };

export interface RawOutcome extends Refusal {
  /** Whether the server closed the connection (rather than our own deadline ending it). */
  closedByServer: boolean;
  /** Milliseconds from connect to close. */
  elapsedMs: number;
  /** The raw response text (headers and body), for failure messages. */
  text: string;
}

/** S3's <Code> in an error document, or "" when the body has none. */
export function codeOf(body: string): string {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? "";
}

/**
 * Writes the pieces to a fresh TCP connection, pausing where told, and keeps writing until done or
 * the server closes; write errors after the server has answered are expected (it may stop reading
 * an attack) and ignored. Resolves with the status and S3 code of the response once it is complete
 * (by its Content-Length), or of whatever came back (0 and "" when nothing did) once the server
 * closes the connection or `deadlineMs` passes. With `untilClose`, it waits for the close even after
 * a whole response (to prove the server drops the connection).
 */
export function sendRaw(
  url: string,
  pieces: RawPiece[],
  options: { deadlineMs?: number; halfClose?: boolean; untilClose?: boolean } = {},
): Promise<RawOutcome> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    let closed = false;
    let closedByServer = false;
    const finish = () => {
      if (closed) return;
      closed = true;
      clearTimeout(deadline);
      socket.destroy();
      const text = Buffer.concat(received).toString("latin1");
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      const split = text.indexOf("\r\n\r\n");
      resolve({
        status: status ? Number(status) : 0,
        code: split === -1 ? "" : codeOf(text.slice(split + 4)),
        closedByServer,
        elapsedMs: Date.now() - started,
        text,
      });
    };
    const deadline = setTimeout(finish, options.deadlineMs ?? 10_000);
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      if (!options.untilClose && responseComplete(Buffer.concat(received))) finish();
    });
    socket.on("error", () => {});
    socket.on("end", () => {
      closedByServer = true;
    });
    socket.on("close", () => {
      if (!closed) closedByServer = true;
      finish();
    });
    socket.once("connect", async () => {
      for (const piece of pieces) {
        if (closed || socket.destroyed) return;
        if (typeof piece === "object" && !Buffer.isBuffer(piece)) {
          await new Promise((r) => setTimeout(r, piece.pauseMs));
          continue;
        }
        await new Promise<void>((r) => socket.write(piece, () => r()));
      }
      if ((options.halfClose ?? true) && !socket.destroyed) socket.end();
    });
  });
}

/** Whether the bytes hold a whole response: a head, and as many body bytes as its Content-Length says. */
function responseComplete(bytes: Buffer): boolean {
  const split = bytes.indexOf("\r\n\r\n");
  if (split === -1) return false;
  const head = bytes.subarray(0, split).toString("latin1");
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
  if (length !== undefined) return bytes.length - split - 4 >= Number(length);
  return /^HTTP\/1\.[01] (204|304)/.test(head);
}

/** A request head in wire form: request line, headers (in order, repeats allowed), blank line. */
export function requestHead(method: string, target: string, headers: Array<[string, string]>): string {
  return `${method} ${target} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
}
