import type { Logger } from "pino";
import { isDefaultLogger } from "./default-logger.js";
import type { Scrubber } from "./scrub.js";

/** One line per request. */
export interface RequestLogLine {
  method: string;
  /** Without the query string: it may carry a signature or a token. */
  path: string;
  status: number;
  durationMs: number;
  endpoint?: string;
  userId?: string;
  uploadId?: string;
  route?: string;
  clientIp?: string;
  code?: string;
}

/**
 * Where request lines go. A request line is flat, with only the keys of RequestLogLine and no
 * object values, so none of the default logger's LOG_REDACT_PATHS can match it (they name
 * authorization, cookie, headers and req keys, or keys inside nested objects): request lines skip
 * pino's per-field redaction, which costs more than the rest of the line. Every other line, and
 * every line of a logger the application gave, keeps it.
 */
function requestLogger(logger: Logger): Logger {
  return isDefaultLogger(logger) ? logger.child({}, { redact: [] }) : logger;
}

/** The gateway's logging: everything passes through the scrubber first, whatever logger is configured. */
export interface GatewayLog {
  request(line: RequestLogLine): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, error: unknown, fields?: Record<string, unknown>): void;
}

export function createGatewayLog(logger: Logger, scrub: Scrubber): GatewayLog {
  const lines = requestLogger(logger);
  return {
    request(line) {
      const level = line.status >= 500 ? "error" : line.status >= 400 ? "warn" : "info";
      if (!logger.isLevelEnabled(level)) return;
      if (lines.level !== logger.level) lines.level = logger.level;
      // Scrubbed field by field: the line is flat, and none of its keys names a secret.
      const out: Record<string, unknown> = { ...line };
      for (const key in out) {
        const value = out[key];
        if (typeof value === "string") out[key] = scrub.text(value);
      }
      lines[level](out, "request");
    },
    info(message, fields = {}) {
      logger.info(scrub(fields), scrub.text(message));
    },
    warn(message, fields = {}) {
      logger.warn(scrub(fields), scrub.text(message));
    },
    error(message, error, fields = {}) {
      logger.error(scrub({ ...fields, err: error }), scrub.text(message));
    },
  };
}
