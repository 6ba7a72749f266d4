import { UpgateError } from "../../core/errors.js";

/** Node socket errors: the database cannot be reached. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
/** What pg throws, without a code, for a connection that died or never came. */
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection ended)/;

/**
 * Whether a ledger failure means the database is unreachable or dropped the connection (worth a
 * retry), rather than a bug: SQLSTATE classes 08 (connection exception), 57P (operator intervention:
 * a terminated backend, a shutdown) and 53 (insufficient resources); socket errors; pg's own
 * connection messages; SQLite's busy, I/O and full-disk errors.
 */
export function isLedgerUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") {
    if (/^(08|57P|53)[0-9A-Z]{2,3}$/.test(code) || SOCKET_CODES.has(code)) return true;
    if (code === "SQLITE_BUSY" || code === "SQLITE_FULL" || code.startsWith("SQLITE_IOERR")) return true;
  }
  return error instanceof Error && PG_CONNECTION_MESSAGES.test(error.message);
}

/** A ledger failure as the API reports it: LEDGER_UNAVAILABLE (503) when it is one, else unchanged. */
export function ledgerFailure(error: unknown): unknown {
  if (!isLedgerUnavailable(error)) return error;
  return new UpgateError("LEDGER_UNAVAILABLE", "The upload ledger could not be reached; try again later", {
    cause: error,
  });
}
