import type { IncomingMessage, ServerResponse } from "node:http";

/** A request body must average at least `bytesPerSecond` once `graceMs` have passed since its headers. */
export interface MinBodyRate {
  bytesPerSecond: number;
  graceMs: number;
}

export const DEFAULT_MIN_BODY_RATE: MinBodyRate = { bytesPerSecond: 1024, graceMs: 20_000 };

/**
 * Watches a request body's progress (bytes read off the socket) and calls `tooSlow` once, when the
 * body trickles in slower than the minimum rate: a client sending one byte now and then never trips
 * the idle timeout, and would otherwise hold a socket, a staged file and a handler forever.
 */
export function watchBodyRate(
  req: IncomingMessage,
  res: ServerResponse,
  rate: MinBodyRate,
  tooSlow: () => void,
): void {
  const socket = req.socket;
  const started = Date.now();
  const startBytes = socket.bytesRead;
  const timer = setInterval(
    () => {
      const elapsed = Date.now() - started;
      if (elapsed < rate.graceMs) return;
      if (socket.bytesRead - startBytes < (elapsed / 1000) * rate.bytesPerSecond) {
        stop();
        tooSlow();
      }
    },
    Math.max(10, Math.min(1000, rate.graceMs / 4)),
  );
  timer.unref();
  const stop = () => clearInterval(timer);
  req.once("end", stop);
  req.once("close", stop);
  res.once("close", stop);
}
