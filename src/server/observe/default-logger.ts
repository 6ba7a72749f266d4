import { type DestinationStream, type Logger, pino } from "pino";
import { LOG_REDACT_PATHS } from "./redact-paths.js";

const created = new WeakSet<Logger>();

/**
 * The logger the gateway makes when the config names none: JSON lines on stdout (or `destination`),
 * LOG_REDACT_PATHS redacted.
 *
 * Stdout is written asynchronously: a line goes out at once when no write is in flight, and the
 * lines logged while one is (a busy gateway logs one per request) go out together in the next write,
 * so a loaded gateway pays one write(2) per batch instead of one per request. pino flushes what is
 * left synchronously when the process exits.
 */
export function createDefaultLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: LOG_REDACT_PATHS, censor: "[redacted]" } };
  const logger = pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
  created.add(logger);
  return logger;
}

/** Whether createDefaultLogger made this logger, so its redaction settings are LOG_REDACT_PATHS. */
export function isDefaultLogger(logger: Logger): boolean {
  return created.has(logger);
}
