import { describe, expect, it } from "vitest";
import { UpgateError } from "../../core/errors.js";
import { isLedgerUnavailable, ledgerFailure } from "./unavailable.js";

const withCode = (code: string, message = "failed") => Object.assign(new Error(message), { code });

describe("ledger failures", () => {
  it.each([
    [
      "a terminated backend (57P01)",
      withCode("57P01", "terminating connection due to administrator command"),
    ],
    ["a server shutting down (57P03)", withCode("57P03")],
    ["a connection exception (08006)", withCode("08006")],
    ["too many connections (53300)", withCode("53300")],
    ["a refused socket", withCode("ECONNREFUSED")],
    ["a dropped connection", new Error("Connection terminated unexpectedly")],
    ["a client broken earlier", new Error("Client has encountered a connection error and is not queryable")],
    ["a pool that cannot connect in time", new Error("timeout exceeded when trying to connect")],
    ["a locked SQLite file", withCode("SQLITE_BUSY")],
    ["a SQLite I/O error", withCode("SQLITE_IOERR_WRITE")],
    ["a full disk under SQLite", withCode("SQLITE_FULL")],
  ])("%s is LEDGER_UNAVAILABLE (503), with the driver's error as its cause", (_, error) => {
    expect(isLedgerUnavailable(error)).toBe(true);
    const mapped = ledgerFailure(error);
    expect(mapped).toBeInstanceOf(UpgateError);
    expect(mapped).toMatchObject({ code: "LEDGER_UNAVAILABLE", status: 503, cause: error });
  });

  it.each([
    ["a unique violation (23505)", withCode("23505")],
    ["a syntax error (42601)", withCode("42601")],
    ["a SQLite constraint", withCode("SQLITE_CONSTRAINT_PRIMARYKEY")],
    ["a plain bug", new TypeError("x is undefined")],
    ["an UpgateError", new UpgateError("QUOTA_EXCEEDED", "over")],
  ])("%s stays what it is", (_, error) => {
    expect(isLedgerUnavailable(error)).toBe(false);
    expect(ledgerFailure(error)).toBe(error);
  });
});
