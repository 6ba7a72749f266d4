import { type DestinationStream, type Logger, pino } from "pino";
import { LOG_REDACT_PATHS } from "./redact-paths.js";

const created = new WeakSet<Logger>();

/**
 * The logger the gateway makes when the config names none: JSON lines on stdout (or `destination`),
 * LOG_REDACT_PATHS redacted.
 */
export function createDefaultLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: LOG_REDACT_PATHS, censor: "[redacted]" } };
  const logger = destination ? pino(options, destination) : pino(options);
  created.add(logger);
  return logger;
}

/** Whether createDefaultLogger made this logger, so its redaction settings are LOG_REDACT_PATHS. */
export function isDefaultLogger(logger: Logger): boolean {
  return created.has(logger);
}
